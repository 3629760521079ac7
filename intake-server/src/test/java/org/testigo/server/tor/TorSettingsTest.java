package org.testigo.server.tor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.ResourceConfigurationSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TorSettingsTest {
  private final YamlConfigurationFactory<TorSettings> factory = new YamlConfigurationFactory<>(
      TorSettings.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");

  @Test
  void exampleYaml_loadsAndValidates() throws Exception {
    TorSettings s = factory.build(new ResourceConfigurationSourceProvider(), "tor/tor-settings.yml");
    assertThat(s.getControlPort()).isEqualTo(9051);
    assertThat(s.getCookieFile()).isEqualTo(Path.of("/run/tor/control.authcookie"));
    assertThat(s.getSource().getTargetPort()).isEqualTo(8080);
    assertThat(s.getReviewer().getTargetPort()).isEqualTo(8082);
    assertThat(s.isProofOfWorkDefence()).isTrue();
    assertThat(s.readReviewerClientKeys()).hasSize(1);
  }

  @Test
  void bothOrNeitherCredential_nonLoopbackHost_sameTargetPorts_badKey_areRejected() {
    assertThatThrownBy(() -> factory.build(new ResourceConfigurationSourceProvider(),
        "tor/tor-settings-bad.yml"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("exactly one of cookieFile and passwordFile")
        .hasMessageContaining("loopback")
        .hasMessageContaining("different ports")
        .hasMessageContaining("x25519 public key");
  }
}
