package org.testigo.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotEmpty;
import java.nio.file.Path;

/**
 * Where the service finds its keys and secrets. Relative paths are resolved against the
 * data directory. Nothing secret is written inline in the YAML: the deployment secret
 * (keyed hash of mailbox ids) is a file of at least 32 random bytes.
 */
public class KeySettings {
  @NotEmpty private String manifestFile = "manifest-chain.txt";
  @NotEmpty private String rootFingerprintFile = "root-fingerprint";
  @NotEmpty private String deploymentSecretFile = "deployment-secret";
  private boolean demoBootstrap;

  @JsonProperty public String getManifestFile() { return manifestFile; }
  @JsonProperty public void setManifestFile(String v) { this.manifestFile = v; }
  @JsonProperty public String getRootFingerprintFile() { return rootFingerprintFile; }
  @JsonProperty public void setRootFingerprintFile(String v) { this.rootFingerprintFile = v; }
  @JsonProperty public String getDeploymentSecretFile() { return deploymentSecretFile; }
  @JsonProperty public void setDeploymentSecretFile(String v) { this.deploymentSecretFile = v; }
  /** Demo only: on first start create a demo organisation (root key, reviewer, manifest). */
  @JsonProperty public boolean isDemoBootstrap() { return demoBootstrap; }
  @JsonProperty public void setDemoBootstrap(boolean v) { this.demoBootstrap = v; }

  public Path manifestFile(Path dataDirectory) { return dataDirectory.resolve(manifestFile); }
  public Path rootFingerprintFile(Path dataDirectory) { return dataDirectory.resolve(rootFingerprintFile); }
  public Path deploymentSecretFile(Path dataDirectory) { return dataDirectory.resolve(deploymentSecretFile); }
}
