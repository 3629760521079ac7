package org.testigo.server.cli;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.testigo.crypto.sign.SigningPublicKey;
import org.testigo.crypto.sign.SigningPublicKeyText;
import org.testigo.server.config.IntakeConfiguration;
import org.testigo.server.log.LogSigningKey;

/**
 * {@code log-key create|public CONFIG [--public-out FILE]}: makes the server's transparency-log
 * key (the file {@code log.keyFile} names, mode 0600, never overwritten) or shows the public
 * half of the one it has, as the text the genesis and log-key rotation ceremonies take
 * ({@code custody init --log-key}, {@code manifest rotate-log-key}).
 */
public final class LogKeyCommand extends ConfiguredCommand<IntakeConfiguration> {
  public LogKeyCommand() {
    super("log-key", "The transparency-log key: 'log-key create CONFIG' makes it (once),"
        + " 'log-key public CONFIG' prints its public half for the key ceremony.");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser.addArgument("action").choices("create", "public")
        .help("create: make the log key file named by log.keyFile; public: print its public key");
    subparser.addArgument("--public-out").dest("publicOut").metavar("FILE")
        .help("also write the public key text to FILE (the log.pub the ceremony takes)");
    super.configure(subparser);
  }

  @Override
  protected void run(Bootstrap<IntakeConfiguration> bootstrap, Namespace namespace,
      IntakeConfiguration config) throws Exception {
    Path keyFile = config.getLog().keyFile(config.dataPath());
    SigningPublicKey key;
    if ("create".equals(namespace.getString("action"))) {
      key = LogSigningKey.create(keyFile, new SecureRandom());
      System.out.println("Created the log key file " + keyFile.toAbsolutePath()
          + " (mode 0600). Back it up offline with the deployment secret (ops/runbooks/first-install.md).");
    } else {
      key = LogSigningKey.load(keyFile).publicKey();
    }
    String text = SigningPublicKeyText.toText(SigningPublicKeyText.Kind.LOG, key);
    String out = namespace.getString("publicOut");
    if (out != null) {
      Files.writeString(Path.of(out), text, StandardCharsets.US_ASCII);
      System.out.println("Wrote the log public key to " + Path.of(out).toAbsolutePath() + ".");
    }
    System.out.println("Log key fingerprint: " + SigningPublicKeyText.fingerprint(SigningPublicKeyText.Kind.LOG, key).hex());
    System.out.print(text.endsWith("\n") ? text : text + "\n");
  }

  /** A refused or unreadable key file is one clear line, not a stack trace. */
  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    if (e instanceof LogSigningKey.LogKeyException) {
      cli.getStdErr().println("log-key: " + e.getMessage());
    } else {
      super.onError(cli, namespace, e);
    }
  }
}
