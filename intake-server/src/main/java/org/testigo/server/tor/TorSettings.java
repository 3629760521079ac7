package org.testigo.server.tor;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Configuration of the onion services the intake server publishes through the local tor
 * (the {@code tor:} block of the server's YAML). Secrets are never inline: the control
 * port is authenticated with tor's cookie file or a file holding the control password.
 *
 * <pre>
 * tor:
 *   controlHost: 127.0.0.1
 *   controlPort: 9051
 *   cookieFile: /run/tor/control.authcookie      # or passwordFile: /etc/testigo/tor-control-password
 *   keyDirectory: /var/lib/testigo/onion-keys
 *   source:   { virtualPort: 80, targetPort: 8080 }
 *   reviewer: { virtualPort: 80, targetPort: 8081 }
 *   reviewerClientKeysFile: /etc/testigo/reviewer-client-keys   # migration path only
 *   proofOfWorkDefence: true
 * </pre>
 *
 * <p>The reviewer onion's clients come from the manifest in force ({@link ReviewerOnionClients});
 * {@code reviewerClientKeys} and {@code reviewerClientKeysFile} are read only while that manifest
 * lists no Tor client-auth key (deployments from before key manifest v2).
 */
public class TorSettings {

  /** One onion service: the port clients dial and the local port tor forwards to. */
  public static class ServicePort {
    @Min(1) @Max(65535)
    private int virtualPort = 80;
    @Min(1) @Max(65535)
    private int targetPort;
    private boolean configuredInTorrc;

    public ServicePort() {}

    public ServicePort(int virtualPort, int targetPort) {
      this.virtualPort = virtualPort;
      this.targetPort = targetPort;
    }

    @JsonProperty public int getVirtualPort() { return virtualPort; }
    @JsonProperty public void setVirtualPort(int p) { virtualPort = p; }
    @JsonProperty public int getTargetPort() { return targetPort; }
    @JsonProperty public void setTargetPort(int p) { targetPort = p; }
    /**
     * The service is configured in tor's torrc (HiddenServiceDir), not published by this server
     * through ADD_ONION: the source service must be, to have {@code HiddenServiceExportCircuitID
     * haproxy}, which ADD_ONION cannot ask for (fair shares per circuit; ops/tor/torrc).
     */
    @JsonProperty public boolean isConfiguredInTorrc() { return configuredInTorrc; }
    @JsonProperty public void setConfiguredInTorrc(boolean v) { configuredInTorrc = v; }

    /** The {@code Port=} argument of ADD_ONION; the target is always loopback. */
    String portArgument() {
      return "Port=" + virtualPort + ",127.0.0.1:" + targetPort;
    }
  }

  @NotEmpty
  private String controlHost = "127.0.0.1";
  @Min(1) @Max(65535)
  private int controlPort = 9051;
  private Path cookieFile;
  private Path passwordFile;
  @NotNull
  private Path keyDirectory;
  @NotNull @Valid
  private ServicePort source;
  @NotNull @Valid
  private ServicePort reviewer;
  @NotNull
  private List<String> reviewerClientKeys = new ArrayList<>();
  private Path reviewerClientKeysFile;
  private boolean proofOfWorkDefence = true;
  /** When false, the health check does not require tor to have bootstrapped (offline tests). */
  private boolean requireBootstrap = true;
  @NotNull @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  private Duration checkInterval = Duration.seconds(5);
  @NotNull @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  private Duration maxBackoff = Duration.seconds(30);
  @NotNull @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  private Duration commandTimeout = Duration.seconds(15);

  @JsonProperty public String getControlHost() { return controlHost; }
  @JsonProperty public void setControlHost(String h) { controlHost = h; }
  @JsonProperty public int getControlPort() { return controlPort; }
  @JsonProperty public void setControlPort(int p) { controlPort = p; }
  @JsonProperty public Path getCookieFile() { return cookieFile; }
  @JsonProperty public void setCookieFile(Path p) { cookieFile = p; }
  @JsonProperty public Path getPasswordFile() { return passwordFile; }
  @JsonProperty public void setPasswordFile(Path p) { passwordFile = p; }
  @JsonProperty public Path getKeyDirectory() { return keyDirectory; }
  @JsonProperty public void setKeyDirectory(Path p) { keyDirectory = p; }
  @JsonProperty public ServicePort getSource() { return source; }
  @JsonProperty public void setSource(ServicePort s) { source = s; }
  @JsonProperty public ServicePort getReviewer() { return reviewer; }
  @JsonProperty public void setReviewer(ServicePort r) { reviewer = r; }
  @JsonProperty public List<String> getReviewerClientKeys() { return reviewerClientKeys; }
  @JsonProperty public void setReviewerClientKeys(List<String> k) { reviewerClientKeys = k; }
  @JsonProperty public Path getReviewerClientKeysFile() { return reviewerClientKeysFile; }
  @JsonProperty public void setReviewerClientKeysFile(Path f) { reviewerClientKeysFile = f; }
  @JsonProperty public boolean isProofOfWorkDefence() { return proofOfWorkDefence; }
  @JsonProperty public void setProofOfWorkDefence(boolean b) { proofOfWorkDefence = b; }
  @JsonProperty public boolean isRequireBootstrap() { return requireBootstrap; }
  @JsonProperty public void setRequireBootstrap(boolean b) { requireBootstrap = b; }
  @JsonProperty public Duration getCheckInterval() { return checkInterval; }
  @JsonProperty public void setCheckInterval(Duration d) { checkInterval = d; }
  @JsonProperty public Duration getMaxBackoff() { return maxBackoff; }
  @JsonProperty public void setMaxBackoff(Duration d) { maxBackoff = d; }
  @JsonProperty public Duration getCommandTimeout() { return commandTimeout; }
  @JsonProperty public void setCommandTimeout(Duration d) { commandTimeout = d; }

  @JsonIgnore
  @ValidationMethod(message = "exactly one of cookieFile and passwordFile must be set")
  public boolean isAuthenticationChosen() {
    return (cookieFile == null) != (passwordFile == null);
  }

  @JsonIgnore
  @ValidationMethod(message = "controlHost must be a loopback address (127.0.0.1 or ::1)")
  public boolean isControlHostLoopback() {
    return "127.0.0.1".equals(controlHost) || "::1".equals(controlHost)
        || "localhost".equals(controlHost);
  }

  @JsonIgnore
  @ValidationMethod(message = "source and reviewer services must forward to different ports")
  public boolean isTargetPortsDistinct() {
    return source == null || reviewer == null || source.targetPort != reviewer.targetPort;
  }

  @JsonIgnore
  @ValidationMethod(message = "every reviewerClientKeys entry must be an x25519 public key "
      + "(52 base32 characters, optionally prefixed descriptor:x25519:)")
  public boolean isReviewerClientKeysWellFormed() {
    try {
      reviewerClientKeys.forEach(ClientAuthPublicKey::parse);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The reviewers' client-auth keys: the inline list plus the file, read now (the file may
   * change while the server runs; {@link OnionServices} re-reads it on every check).
   */
  public List<ClientAuthPublicKey> readReviewerClientKeys() throws IOException {
    LinkedHashSet<ClientAuthPublicKey> keys = new LinkedHashSet<>();
    reviewerClientKeys.forEach(k -> keys.add(ClientAuthPublicKey.parse(k)));
    if (reviewerClientKeysFile != null) {
      keys.addAll(ClientAuthPublicKey.readFile(reviewerClientKeysFile));
    }
    return List.copyOf(keys);
  }
}
