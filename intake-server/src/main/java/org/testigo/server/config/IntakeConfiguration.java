package org.testigo.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;

/** The validated configuration of the intake server. Secrets are only referenced by path. */
public class IntakeConfiguration extends Configuration {
  @NotEmpty private String dataDirectory = "./testigo-data";
  @NotNull @Valid private DatabaseSettings database = new DatabaseSettings();
  /** The eraser account's connection (MariaDB); absent = the application's own (H2). */
  @Valid private EraserDatabaseSettings eraserDatabase;
  @NotNull @Valid private KeySettings keys = new KeySettings();
  @NotNull @Valid private LimitSettings limits = new LimitSettings();
  @NotNull @Valid private FairnessSettings fairness = new FairnessSettings();
  @NotNull @Valid private ReceiptSettings receipts = new ReceiptSettings();
  /** Onion services through the local tor's control port; absent = none (development). */
  @Valid private org.testigo.server.tor.TorSettings tor;
  @NotNull @Valid private ReviewerApiSettings reviewerApi = new ReviewerApiSettings();
  @NotNull @Valid private LogSettings log = new LogSettings();

  @JsonProperty public String getDataDirectory() { return dataDirectory; }
  @JsonProperty public void setDataDirectory(String v) { this.dataDirectory = v; }
  @JsonProperty public DatabaseSettings getDatabase() { return database; }
  @JsonProperty public void setDatabase(DatabaseSettings v) { this.database = v; }
  @JsonProperty public EraserDatabaseSettings getEraserDatabase() { return eraserDatabase; }
  @JsonProperty public void setEraserDatabase(EraserDatabaseSettings v) { this.eraserDatabase = v; }
  @JsonProperty public KeySettings getKeys() { return keys; }
  @JsonProperty public void setKeys(KeySettings v) { this.keys = v; }
  @JsonProperty public LimitSettings getLimits() { return limits; }
  @JsonProperty public FairnessSettings getFairness() { return fairness; }
  @JsonProperty public void setFairness(FairnessSettings v) { this.fairness = v; }
  @JsonProperty public void setLimits(LimitSettings v) { this.limits = v; }
  @JsonProperty public ReceiptSettings getReceipts() { return receipts; }
  @JsonProperty public void setReceipts(ReceiptSettings v) { this.receipts = v; }
  @JsonProperty public org.testigo.server.tor.TorSettings getTor() { return tor; }
  @JsonProperty public void setTor(org.testigo.server.tor.TorSettings v) { this.tor = v; }

  @JsonProperty public ReviewerApiSettings getReviewerApi() { return reviewerApi; }
  @JsonProperty public void setReviewerApi(ReviewerApiSettings v) { this.reviewerApi = v; }
  @JsonProperty public LogSettings getLog() { return log; }
  @JsonProperty public void setLog(LogSettings v) { this.log = v; }


  @io.dropwizard.validation.ValidationMethod(message = "eraserDatabase needs database.type MARIADB: on the embedded"
      + " H2 database erasures use the application's own connection; remove eraserDatabase")
  public boolean isEraserOnMariadb() {
    return eraserDatabase == null || database.getType() == DatabaseSettings.Type.MARIADB;
  }

  public Path dataPath() {
    return Path.of(dataDirectory).toAbsolutePath().normalize();
  }
}
