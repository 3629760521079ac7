package org.testigo.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every config file in ops/ and the demo config parse and validate; inconsistent settings do not. */
class ConfigFilesTest {
  static Stream<Path> configs() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.walk(Path.of("../ops"))) {
      files = s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).toList();
    }
    assertThat(files).isNotEmpty();
    return Stream.concat(files.stream(), Stream.of(Path.of("config-demo.yml")));
  }

  @ParameterizedTest
  @MethodSource("configs")
  void configFile_parsesAndValidates(Path file) throws Exception {
    IntakeConfiguration c = new YamlConfigurationFactory<>(IntakeConfiguration.class,
        Validators.newValidator(), Jackson.newObjectMapper(), "dw").build(file.toFile());
    assertThat(c.getDatabase()).isNotNull();
    if (file.startsWith(Path.of("../ops"))) {
      assertThat(c.getKeys().isDemoBootstrap()).as("production must never create demo keys").isFalse();
      assertThat(c.getDatabase().getType()).isEqualTo(DatabaseSettings.Type.MARIADB);
    }
  }

  @org.junit.jupiter.api.Test
  void aPoolNoLargerThanTheGroupCommitWriters_isRefused() {
    var validator = Validators.newValidator();
    DatabaseSettings d = new DatabaseSettings();
    d.setGroupCommitWriters(4);
    d.setMaxConnections(5);
    assertThat(validator.validate(d)).extracting(v -> v.getMessage())
        .anySatisfy(m -> assertThat(m).contains("maxConnections must be at least groupCommitWriters + 2"));
    d.setMaxConnections(6);
    assertThat(validator.validate(d)).isEmpty();
  }
}
