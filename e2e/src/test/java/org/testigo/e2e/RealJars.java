package org.testigo.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts the real, packaged jars as separate processes: the intake server with a demo
 * configuration in a temporary data directory on free loopback ports, and the reviewer
 * command line. Used by the end-to-end tests (failsafe, after {@code package}).
 */
final class RealJars {
  static final Path REPO = locateRepo();
  static final Path SERVER_JAR = REPO.resolve("intake-server/target/testigo-intake-server.jar");
  static final Path REVIEWER_JAR = REPO.resolve("reviewer-cli/target/testigo-reviewer.jar");

  private RealJars() {}

  /**
   * When set (e.g. {@code "+40d"}), every process started from now on runs under libfaketime
   * ({@code faketime -f OFFSET}: Debian's {@code faketime} package) with its clock that far
   * ahead; null runs them on the real clock. For tests of what happens weeks later (retention).
   */
  static volatile String clockOffset;

  private static List<String> java() {
    List<String> cmd = new ArrayList<>();
    String offset = clockOffset;
    if (offset != null) {
      cmd.addAll(List.of("faketime", "-f", offset));
    }
    cmd.add("java");
    return cmd;
  }

  private static Path locateRepo() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("intake-server/pom.xml"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("run from inside the Testigo checkout");
    }
    return p;
  }

  /** The port a property among {@code props} gives (a restart on the same ports), else a free one. */
  private static int portIn(String[] props, String key) throws IOException {
    for (String p : props) {
      if (p.startsWith(key)) {
        return Integer.parseInt(p.substring(key.length()));
      }
    }
    return freePort();
  }

  /** Where {@link #freePort} looks: below Linux's ephemeral range (32768-60999 by default). */
  static final int PORTS_FROM = 20_000;
  static final int PORTS_COUNT = 12_000;
  private static final java.util.concurrent.atomic.AtomicInteger NEXT_PORT = new java.util.concurrent.atomic.AtomicInteger(
      java.util.concurrent.ThreadLocalRandom.current().nextInt(PORTS_COUNT));

  /**
   * A loopback port that is free now, for a process started later. Not an ephemeral port
   * (port 0): between this check and the process binding it, the kernel hands ephemeral ports
   * to outgoing connections (a Galera node joining, a JDBC client), and GaleraErasureIT once
   * lost a node that way ("Address already in use"). Ports are taken in turn from
   * {@link #PORTS_FROM}, so one JVM never hands out the same port twice in a run.
   */
  static int freePort() throws IOException {
    for (int attempt = 0; attempt < PORTS_COUNT; attempt++) {
      int port = PORTS_FROM + Math.floorMod(NEXT_PORT.getAndIncrement(), PORTS_COUNT);
      try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // in use: the next one
      }
    }
    throw new IOException("no free loopback port in " + PORTS_FROM + ".." + (PORTS_FROM + PORTS_COUNT - 1));
  }

  /** A running intake server; {@link #close()} stops it. */
  static final class Server implements AutoCloseable {
    final Process process;
    final Path dataDir;
    final Path log;
    final int port;
    final int reviewerPort;
    final int adminPort;

    private Server(Process process, Path dataDir, Path log, int port, int reviewerPort, int adminPort) {
      this.process = process;
      this.dataDir = dataDir;
      this.log = log;
      this.port = port;
      this.reviewerPort = reviewerPort;
      this.adminPort = adminPort;
    }

    String url(String path) {
      return "http://127.0.0.1:" + port + path;
    }

    /** Base URL of the reviewer API (its own connector). */
    String reviewerUrl() {
      return "http://127.0.0.1:" + reviewerPort;
    }

    String adminUrl(String path) {
      return "http://127.0.0.1:" + adminPort + path;
    }

    String output() throws IOException {
      return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
      // Under libfaketime the process is the faketime wrapper and the server its child: stopping
      // only the wrapper left the server running after the test (found after a CI run).
      List<ProcessHandle> children = process.descendants().toList();
      process.destroy();
      children.forEach(ProcessHandle::destroy);
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      for (ProcessHandle child : children) {
        try {
          child.onExit().get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          child.destroyForcibly();
        }
      }
    }
  }

  /**
   * Starts {@code java -jar testigo-intake-server.jar server config-demo.yml} with the
   * data directory and all three ports (source, reviewer API, admin) on free loopback ports, and waits until the admin health check answers.
   */
  static Server startServer(Path work, String heap, String... extraProperties)
      throws IOException, InterruptedException {
    if (!Files.exists(SERVER_JAR)) {
      throw new IllegalStateException("missing " + SERVER_JAR + ": run mvn package first");
    }
    Path dataDir = Files.createDirectories(work.resolve("data"));
    Path log = work.resolve("server.log");
    int port = portIn(extraProperties, "dw.server.applicationConnectors[0].port=");
    int reviewerPort = portIn(extraProperties, "dw.server.applicationConnectors[1].port=");
    int admin = portIn(extraProperties, "dw.server.adminConnectors[0].port=");
    List<String> cmd = java();
    cmd.addAll(List.of("-Xmx" + heap,
        "-Ddw.dataDirectory=" + dataDir,
        "-Ddw.server.applicationConnectors[0].port=" + port,
        "-Ddw.server.applicationConnectors[1].port=" + reviewerPort,
        "-Ddw.server.adminConnectors[0].port=" + admin,
        // These tests drive many requests over a few pooled loopback connections, and without a
        // PROXY line each connection is one "circuit": lift the per-circuit shares, which
        // FairShareAppTest, AttackBenchmarkTest and TorNetworkIT test (a test's own -D wins).
        "-Ddw.fairness.keyDerivationsPerMinute=600", "-Ddw.fairness.mailboxesPerHour=10000",
        "-Ddw.fairness.submissionsPerHour=100000", "-Ddw.fairness.maxSubmissionsInFlight=64",
        "-Ddw.fairness.maxConcurrentRequests=256", "-Ddw.fairness.maxOpenUploads=64",
        "-Ddw.fairness.uploadsPerHour=10000"));
    for (String p : extraProperties) {
      cmd.add("-D" + p);
    }
    cmd.addAll(List.of("-jar", SERVER_JAR.toString(), "server",
        REPO.resolve("intake-server/config-demo.yml").toString()));
    Process process = new ProcessBuilder(cmd).directory(work.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Server server = new Server(process, dataDir, log, port, reviewerPort, admin);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("server exited early:\n" + server.output());
      }
      try {
        var r = http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(server.adminUrl("/healthcheck"))).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return server;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(300);
    }
    server.close();
    throw new IllegalStateException("server did not become healthy in 90 s:\n"
        + server.output());
  }

  /**
   * Runs {@code java [jvmArgs] -jar testigo-intake-server.jar COMMAND... config-demo.yml} (a
   * one-shot server command such as {@code log-key create}) and waits (at most 2 minutes).
   * JVM arguments are the leading {@code -D...} entries of {@code args}.
   */
  static Run serverCommand(Path workDir, String... args) throws IOException, InterruptedException {
    if (!Files.exists(SERVER_JAR)) {
      throw new IllegalStateException("missing " + SERVER_JAR + ": run mvn package first");
    }
    List<String> cmd = java();
    cmd.add("-Xmx256m");
    int i = 0;
    while (i < args.length && args[i].startsWith("-D")) {
      cmd.add(args[i++]);
    }
    cmd.addAll(List.of("-jar", SERVER_JAR.toString()));
    cmd.addAll(List.of(args).subList(i, args.length));
    cmd.add(REPO.resolve("intake-server/config-demo.yml").toString());
    return run(cmd, workDir);
  }

  /** Result of running the reviewer jar. */
  record Run(int exitCode, String output) {}

  /** Runs {@code java -jar testigo-reviewer.jar args...} and waits (at most 2 minutes). */
  static Run reviewer(Path workDir, String... args) throws IOException, InterruptedException {
    if (!Files.exists(REVIEWER_JAR)) {
      throw new IllegalStateException("missing " + REVIEWER_JAR + ": run mvn package first");
    }
    List<String> cmd = java();
    cmd.addAll(List.of("-Xmx512m", "-jar", REVIEWER_JAR.toString()));
    cmd.addAll(List.of(args));
    return run(cmd, workDir);
  }

  private static Run run(List<String> cmd, Path workDir) throws IOException, InterruptedException {
    Path out = Files.createTempFile(workDir, "command-", ".log");
    Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    p.getOutputStream().close();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("command timed out: " + cmd);
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  /** Regular files under {@code dir} whose bytes contain {@code marker} (UTF-8). */
  static List<Path> filesContaining(Path dir, String marker) throws IOException {
    byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(p -> {
        try {
          return indexOf(Files.readAllBytes(p), needle) >= 0;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
