package org.testigo.server.tor;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real tor daemon from the system (Debian's {@code tor}), offline: its own DataDirectory,
 * {@code DisableNetwork 1}, {@code SocksPort 0}, a control port on 127.0.0.1 with cookie
 * authentication (and optionally a hashed password). Fails — never skips — when tor is
 * not installed.
 */
final class TorProcess implements AutoCloseable {
  private final Path dataDir;
  private final int controlPort;
  private final Process process;

  private TorProcess(Path dataDir, int controlPort, Process process) {
    this.dataDir = dataDir;
    this.controlPort = controlPort;
    this.process = process;
  }

  static String torBinary() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, "tor");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    for (String p : List.of("/usr/bin/tor", "/usr/sbin/tor")) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    return fail("tor is not installed; these tests need a real tor: apt-get install -y tor");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts tor and waits until its control port accepts connections. */
  static TorProcess start(Path dataDir, int controlPort, String hashedPassword, String... extra)
      throws IOException, InterruptedException {
    Files.createDirectories(dataDir);
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
    Path torrc = dataDir.resolveSibling(dataDir.getFileName() + ".torrc");
    List<String> conf = new ArrayList<>(List.of(
        "DataDirectory " + dataDir,
        "DisableNetwork 1",
        "SocksPort 0",
        "ControlPort 127.0.0.1:" + controlPort,
        "CookieAuthentication 1",
        "ControlPortWriteToFile " + dataDir.resolve("control.port"),
        "Log notice file " + dataDir.resolve("notice.log"),
        "SafeLogging 1"));
    if (hashedPassword != null) {
      conf.add("HashedControlPassword " + hashedPassword);
    }
    conf.addAll(List.of(extra));
    Files.write(torrc, conf, StandardCharsets.US_ASCII);
    Process p = new ProcessBuilder(torBinary(), "-f", torrc.toString(), "--RunAsDaemon", "0",
        "--quiet")
        .redirectErrorStream(true)
        .redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + ".out").toFile())
        .start();
    TorProcess tor = new TorProcess(dataDir, controlPort, p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        fail("tor exited with " + p.exitValue() + ": "
            + Files.readString(dataDir.resolveSibling(dataDir.getFileName() + ".out")));
      }
      if (Files.exists(dataDir.resolve("control.port"))) {
        try (Socket s = new Socket("127.0.0.1", controlPort)) {
          return tor;
        } catch (IOException notYet) {
          // keep waiting
        }
      }
      Thread.sleep(50);
    }
    tor.close();
    return fail("tor's control port did not open within 30 s");
  }

  /** {@code tor --hash-password}, as an operator would put into torrc. */
  static String hashPassword(String password) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(torBinary(), "--quiet", "--hash-password", password)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
    p.waitFor();
    String[] lines = out.split("\n");
    return lines[lines.length - 1].strip();
  }

  Path cookieFile() {
    return dataDir.resolve("control_auth_cookie");
  }

  Path dataDir() {
    return dataDir;
  }

  int controlPort() {
    return controlPort;
  }

  /** Kills tor at once (SIGKILL), as a crash would. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
