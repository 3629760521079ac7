package org.testigo.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The database account that applies erasures (docs/spec/retention-and-erasure.md §3.3), the
 * only one besides the administrator's that may DELETE, and only from the tables an erasure
 * empties (ops/install/mariadb-users.sql). It connects to the application's database (same
 * URL); only the user, the password file and the pool size differ. Absent, erasures run on
 * the application's own connections: right for the embedded H2 database, and on MariaDB only
 * where the application's account may delete (a test as root), never in production.
 */
public class EraserDatabaseSettings {
  @NotEmpty private String user = "testigo_eraser";
  @NotEmpty private String passwordFile;
  @Min(2) @Max(20) private int maxConnections = 2;

  @JsonProperty public String getUser() { return user; }
  @JsonProperty public void setUser(String v) { this.user = v; }
  @JsonProperty public String getPasswordFile() { return passwordFile; }
  @JsonProperty public void setPasswordFile(String v) { this.passwordFile = v; }
  @JsonProperty public int getMaxConnections() { return maxConnections; }
  @JsonProperty public void setMaxConnections(int v) { this.maxConnections = v; }

  /** Reads the password file (trailing newline removed). */
  public String password() throws IOException {
    return Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8).strip();
  }
}
