package org.testigo.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.testigo.server.storage.GroupCommit;

/**
 * Where reports are stored: embedded H2 in MariaDB mode (a file under the data directory,
 * the default, needs nothing installed) or MariaDB by JDBC URL with the password read from
 * a file. The password never appears in the YAML.
 */
public class DatabaseSettings {
  /** The two supported databases. */
  public enum Type { H2, MARIADB }

  @NotNull private Type type = Type.H2;
  private String url;
  @NotNull private String user = "testigo";
  private String passwordFile;
  @Min(2) @Max(500) private int maxConnections = 40;
  @Min(1) @Max(20) private int transactionAttempts = 6;
  @Min(1) @Max(10_000) private int retryBackoffMillis = 25;
  @Min(1) @Max(60_000) private int maxRetryBackoffMillis = 1000;
  private boolean causalReads;
  @Min(1) @Max(3600) private int socketTimeoutSeconds = 20;
  @Min(100) @Max(600_000) private int retryBudgetMillis = 30_000;
  @Min(0) @Max(16) private int groupCommitWriters = 1;
  @Min(1) @Max(1000) private int groupCommitMaxEnvelopes = 64;
  @Min(1024) @Max(64 * 1024 * 1024) private int groupCommitMaxBatchBytes = 8 * 1024 * 1024;
  @Min(0) @Max(16 * 1024 * 1024) private int groupCommitMaxEnvelopeBytes = 1024 * 1024;
  @Min(1) @Max(100_000) private int groupCommitMaxQueued = 256;

  @JsonProperty public Type getType() { return type; }
  @JsonProperty public void setType(Type type) { this.type = type; }
  @JsonProperty public String getUrl() { return url; }
  @JsonProperty public void setUrl(String url) { this.url = url; }
  @JsonProperty public String getUser() { return user; }
  @JsonProperty public void setUser(String user) { this.user = user; }
  @JsonProperty public String getPasswordFile() { return passwordFile; }
  @JsonProperty public void setPasswordFile(String passwordFile) { this.passwordFile = passwordFile; }
  @JsonProperty public int getMaxConnections() { return maxConnections; }
  @JsonProperty public void setMaxConnections(int maxConnections) { this.maxConnections = maxConnections; }

  /** Attempts per transaction before a 503 (certification conflicts, node loss; docs/decisions/0007-galera-multi-master.md). */
  @JsonProperty public int getTransactionAttempts() { return transactionAttempts; }
  @JsonProperty public void setTransactionAttempts(int v) { this.transactionAttempts = v; }
  @JsonProperty public int getRetryBackoffMillis() { return retryBackoffMillis; }
  @JsonProperty public void setRetryBackoffMillis(int v) { this.retryBackoffMillis = v; }
  @JsonProperty public int getMaxRetryBackoffMillis() { return maxRetryBackoffMillis; }
  @JsonProperty public void setMaxRetryBackoffMillis(int v) { this.maxRetryBackoffMillis = v; }
  /**
   * No further attempt of a transaction starts once this long has passed since its first:
   * against a database that stopped answering each attempt costs its timeouts (validation
   * 2 s, connect 3 s, a statement up to socketTimeoutSeconds), so this bounds how long a
   * request waits for its 503. It is longer than one socket timeout, so that on Galera a
   * transaction whose node hung is still retried once on a fresh connection.
   */
  @JsonProperty public int getRetryBudgetMillis() { return retryBudgetMillis; }
  @JsonProperty public void setRetryBudgetMillis(int v) { this.retryBudgetMillis = v; }
  /**
   * Galera: every session sets {@code wsrep_sync_wait = 1}, so a read on one node sees every
   * transaction committed anywhere in the cluster before it (reads wait for the node to apply).
   */
  @JsonProperty public boolean isCausalReads() { return causalReads; }
  @JsonProperty public void setCausalReads(boolean v) { this.causalReads = v; }

  /**
   * MariaDB: a statement without an answer for this long fails (503, or retried when the
   * transaction may be retried). Raise it for a {@code db migrate} run whose migration
   * rewrites a large table.
   */
  @JsonProperty public int getSocketTimeoutSeconds() { return socketTimeoutSeconds; }
  @JsonProperty public void setSocketTimeoutSeconds(int v) { this.socketTimeoutSeconds = v; }

  /**
   * Group commit (docs/decisions/0008-group-commit.md): writer threads that store the envelopes of concurrent
   * requests in one transaction per batch; 0 stores every envelope in its own transaction.
   * Each writer holds a pooled connection while it commits.
   */
  @JsonProperty public int getGroupCommitWriters() { return groupCommitWriters; }
  @JsonProperty public void setGroupCommitWriters(int v) { this.groupCommitWriters = v; }
  /** At most this many envelopes in one batch. */
  @JsonProperty public int getGroupCommitMaxEnvelopes() { return groupCommitMaxEnvelopes; }
  @JsonProperty public void setGroupCommitMaxEnvelopes(int v) { this.groupCommitMaxEnvelopes = v; }
  /** At most this many envelope bytes in one batch (one larger envelope makes a batch alone). */
  @JsonProperty public int getGroupCommitMaxBatchBytes() { return groupCommitMaxBatchBytes; }
  @JsonProperty public void setGroupCommitMaxBatchBytes(int v) { this.groupCommitMaxBatchBytes = v; }
  /** Envelopes larger than this are stored alone (they are streamed or spooled anyway). */
  @JsonProperty public int getGroupCommitMaxEnvelopeBytes() { return groupCommitMaxEnvelopeBytes; }
  @JsonProperty public void setGroupCommitMaxEnvelopeBytes(int v) { this.groupCommitMaxEnvelopeBytes = v; }
  /** At most this many envelopes wait for a writer; beyond that a request gets 503 at once. */
  @JsonProperty public int getGroupCommitMaxQueued() { return groupCommitMaxQueued; }
  @JsonProperty public void setGroupCommitMaxQueued(int v) { this.groupCommitMaxQueued = v; }

  /** The group commit's sizes as configured. */
  public GroupCommit.Settings groupCommit() {
    return new GroupCommit.Settings(groupCommitWriters, groupCommitMaxEnvelopes, groupCommitMaxBatchBytes,
        groupCommitMaxEnvelopeBytes, groupCommitMaxQueued);
  }

  @ValidationMethod(message = "database: maxConnections must be at least groupCommitWriters + 2: each"
      + " group-commit writer keeps one connection (docs/decisions/0008-group-commit.md)")
  public boolean isPoolLargerThanWriters() {
    return maxConnections >= groupCommitWriters + 2;
  }

  @ValidationMethod(message = "database: causalReads needs type MARIADB")
  public boolean isCausalReadsOnMariadb() {
    return !causalReads || type == Type.MARIADB;
  }

  @ValidationMethod(message = "database: type MARIADB needs url (jdbc:mariadb://...) and passwordFile")
  public boolean isMariadbComplete() {
    return type != Type.MARIADB
        || (url != null && url.startsWith("jdbc:mariadb:") && passwordFile != null);
  }

  /** The JDBC URL: the configured one, or the H2 file under {@code dataDirectory/db}. */
  public String jdbcUrl(Path dataDirectory) {
    if (type == Type.MARIADB) {
      return url;
    }
    if (url != null) {
      return url;
    }
    Path file = dataDirectory.resolve("db").resolve("testigo").toAbsolutePath();
    return "jdbc:h2:file:" + file
        + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000";
  }

  /** Reads the password file (trailing newline removed); empty when none is configured (H2). */
  public String password() throws IOException {
    if (passwordFile == null) {
      return "";
    }
    return Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8).strip();
  }

  /** A Dropwizard pool definition; validated on borrow so the service recovers after an outage. */
  public DataSourceFactory dataSourceFactory(Path dataDirectory) throws IOException {
    return dataSourceFactory(dataDirectory, type == Type.H2 && passwordFile == null ? "sa" : user, password(),
        maxConnections);
  }

  /**
   * The pool of the eraser account (docs/spec/retention-and-erasure.md §3.3): the same database,
   * URL and settings as the application's, another user and password, a small pool.
   */
  public DataSourceFactory eraserDataSourceFactory(Path dataDirectory, EraserDatabaseSettings eraser)
      throws IOException {
    return dataSourceFactory(dataDirectory, eraser.getUser(), eraser.password(), eraser.getMaxConnections());
  }

  private DataSourceFactory dataSourceFactory(Path dataDirectory, String user, String password, int maxSize) {
    DataSourceFactory f = new DataSourceFactory();
    f.setUrl(jdbcUrl(dataDirectory));
    f.setUser(user);
    f.setPassword(password);
    f.setDriverClass(type == Type.MARIADB ? "org.mariadb.jdbc.Driver" : "org.h2.Driver");
    f.setMaxSize(maxSize);
    f.setMinSize(2);
    f.setInitialSize(2);
    f.setCheckConnectionOnBorrow(true);
    // No validation query: the pool and the health check call Connection.isValid(2), which
    // MariaDB Connector/J bounds with a socket timeout, so a connection to a database that
    // stopped answering (host gone, network cut) fails validation in 2 s instead of hanging
    // the request that borrowed it (a query timeout is enforced by the server, which is gone).
    f.setValidationQuery(null);
    f.setValidationQueryTimeout(io.dropwizard.util.Duration.seconds(2));
    f.setMaxWaitForConnection(io.dropwizard.util.Duration.seconds(5));
    f.setAutoCommitByDefault(Boolean.TRUE);
    if (type == Type.MARIADB) {
      Map<String, String> properties = new java.util.HashMap<>(Map.of("useServerPrepStmts", "true",
          "connectTimeout", "3000"));
      if (causalReads) {
        properties.put("sessionVariables", "wsrep_sync_wait=1");
        // Galera: a statement whose node hangs (seen: a server-side PREPARE on a node whose
        // transaction was aborted by the replication applier never answered) must fail and be
        // retried, not block a request or a start for ever. Text protocol avoids PREPARE.
        properties.put("useServerPrepStmts", "false");
      }
      // A statement without an answer for this long fails (503), so a database that stops
      // answering mid-statement cannot hold a request thread for ever (docs/decisions/0014-database-outages-and-slow-senders.md).
      properties.put("socketTimeout", String.valueOf(socketTimeoutSeconds * 1000));
      f.setProperties(properties);
    }
    return f;
  }
}
