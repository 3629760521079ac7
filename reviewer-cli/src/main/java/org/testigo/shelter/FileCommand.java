package org.testigo.shelter;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.testigo.api.EnvelopeId;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.SecretBytes;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.identity.ReviewerPublicBundle;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.receipt.Receipt;
import org.testigo.crypto.receipt.ReceiptKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code file}: staff filing on a migrant's behalf. Asks consent first (nothing is asked,
 * sealed or stored without an explicit yes), takes the answers interactively or from a file,
 * seals questionnaire + attachments (+ optional shelter attestation) to the reviewers of the
 * verified manifest, generates the migrant's receipt and derives its keys as the server does
 * (Argon2id with the deployment's parameters, salt = the root fingerprint's 32 bytes), puts
 * everything into the encrypted outbox and prints the receipt page.
 */
@Command(name = "file", mixinStandardHelpOptions = true,
    description = "File a report on a migrant's behalf, with their consent; it waits in the"
        + " encrypted outbox until 'upload'.")
final class FileCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin HomeOption home;
  @Mixin PassphraseOptions passphrase;
  @Option(names = "--lang", required = true, paramLabel = "es|en|fr|ht|pt",
      description = "The migrant's language: questions, consent statement and receipt.")
  String langCode;
  @Option(names = "--from", paramLabel = "FILE",
      description = "Answers from a JSON or YAML file (questionnaire v1 keys) instead of"
          + " asking. Consent is still asked at the prompt.")
  Path from;
  @Option(names = "--attach", paramLabel = "FILE", arity = "1..*",
      description = "Files to attach (photos, audio, documents).")
  List<Path> attach = new ArrayList<>();
  @Option(names = "--sign",
      description = "Add the shelter's attestation (signature over the answers and files),"
          + " visible only to reviewers. Asks for the shelter passphrase.")
  boolean sign;

  private final Terminal terminal;

  FileCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() throws IOException, CryptoException {
    Lang lang = Lang.of(langCode);
    ShelterProfile profile = ShelterProfile.load(home.path());
    KeyManifest manifest = profile.verifiedManifest();
    List<RecipientPublicKey> recipients = manifest.recipients(Clock.systemUTC().instant());
    if (recipients.isEmpty()) {
      throw new CliException(ExitCodes.REFUSED, "the verified manifest lists no reviewer valid"
          + " now; run 'manifest refresh'");
    }
    for (Path f : attach) {
      if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
        throw new CliException(ExitCodes.IO, "cannot read the attachment " + f);
      }
    }
    ReviewerPublicBundle shelter = profile.shelterPublic();
    Answers answers = from == null ? null : QuestionnaireFile.read(from, lang);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    if (answers != null) {
      answers.validate(today);
    }

    Consent.Record consent = Consent.ask(terminal, lang);
    if (answers == null) {
      answers = new Interview(terminal, lang).run();
      answers.validate(today);
    }
    terminal.out().println(lang.text("attach.count", attach.size()));

    ReviewerIdentity identity = sign ? openIdentity(profile, shelter) : null;
    byte[] questionnaire = answers.toJson(lang, consent);
    SecureRandom random = new SecureRandom();
    Receipt receipt = Receipt.generate(random, lang.receiptLanguage);
    ReceiptKeys keys = ReceiptKeys.derive(receipt, profile.receiptParams, profile.receiptSalt());
    String words = receipt.render(lang.receiptLanguage);
    String submissionId = EnvelopeId.random(random).hex();
    Path entry;
    try {
      SecretBytes lookup = keys.mailboxLookupKey();
      Outbox.Meta meta = new Outbox.Meta(1, submissionId, today.toString(), lang.code, words,
          Base64.getUrlEncoder().withoutPadding().encodeToString(lookup.exposeSecret()),
          Base64.getUrlEncoder().withoutPadding().encodeToString(
              keys.replyKey().publicKey().toBytes()),
          manifest.sequence(), recipients.stream().map(k -> k.fingerprint().hex()).toList(),
          attach.size(), identity != null);
      entry = Outbox.write(profile.outbox(), shelter.encryptionKey(), meta,
          out -> ReportSealer.seal(out, recipients, questionnaire, attach,
              identity == null ? null : identity.signingKey(), random), random);
    } finally {
      Arrays.fill(questionnaire, (byte) 0);
      keys.destroy();
      receipt.destroy();
      if (identity != null) {
        identity.destroy();
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("Sealed to " + recipients.size() + " reviewer key(s) of manifest "
        + manifest.sequence() + (sign ? ", with the shelter's attestation" : "")
        + "; waiting in the outbox as " + entry.getFileName());
    out.println();
    out.print(ReceiptPage.render(lang, words, profile.server.toString(),
        profile.root.shortForm(), today.toString(), false, Optional.empty()));
    return ExitCodes.OK;
  }

  private ReviewerIdentity openIdentity(ShelterProfile profile, ReviewerPublicBundle shelter)
      throws IOException, CryptoException {
    ReviewerIdentity identity = openKeystore(profile, passphrase);
    if (!identity.publicBundle().equals(shelter)) {
      identity.destroy();
      throw new CliException(ExitCodes.CRYPTO, "the shelter keystore and "
          + ShelterProfile.PUBLIC + " do not belong together");
    }
    return identity;
  }

  static ReviewerIdentity openKeystore(ShelterProfile profile, PassphraseOptions options)
      throws IOException, CryptoException {
    byte[] file = Keystore.readBytes(profile.keystore());
    char[] chars = options.read("Shelter passphrase");
    Passphrase p = Passphrase.of(chars);
    Arrays.fill(chars, '\0');
    try {
      return Keystore.decrypt(file, p);
    } finally {
      p.destroy();
    }
  }
}
