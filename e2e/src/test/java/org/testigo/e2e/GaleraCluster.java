package org.testigo.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A 3-node MariaDB Galera cluster on 127.0.0.1, started from Debian's {@code mariadbd} and
 * {@code galera-4} as separate processes with temporary data directories (facts in
 * {@code GALERA.md}): the first node bootstraps with {@code --wsrep-new-cluster}, the others
 * join by rsync SST into empty data directories owned by {@code nobody}. A node can be killed
 * with SIGKILL and restarted with {@code --wsrep-recover} and {@code --wsrep_start_position},
 * so it rejoins by IST. {@link #close()} stops every node and its children, even after a
 * failure. Must run as root (mariadbd {@code --user=root}).
 */
final class GaleraCluster implements AutoCloseable {
  static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
  static final Path INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");
  static final Path PROVIDER = Path.of("/usr/lib/galera/libgalera_smm.so");
  private static final Pattern RECOVERED =
      Pattern.compile("WSREP: Recovered position: ([0-9a-f-]{36}:-?[0-9]+)");

  /** One node's ports and files. */
  static final class Node {
    final int index;
    final int sqlPort;
    final int gcommPort;
    final int istPort;
    final int sstPort;
    final Path dataDir;
    final Path errorLog;
    Process process;

    Node(int index, Path root) throws IOException {
      this.index = index;
      this.sqlPort = RealJars.freePort();
      this.gcommPort = RealJars.freePort();
      this.istPort = RealJars.freePort();
      this.sstPort = RealJars.freePort();
      this.dataDir = root.resolve("node" + index + "/data");
      this.errorLog = root.resolve("node" + index + "/error.log");
    }

    String jdbcUrl(String database) {
      return "jdbc:mariadb://127.0.0.1:" + sqlPort + "/" + database + "?connectTimeout=3000";
    }

    boolean alive() {
      return process != null && process.isAlive();
    }
  }

  private final Path root;
  private final List<Node> nodes = new ArrayList<>();

  GaleraCluster(Path root, int size) throws IOException {
    this.root = root;
    for (int i = 1; i <= size; i++) {
      nodes.add(new Node(i, root));
    }
  }

  static boolean available() {
    return Files.isExecutable(MARIADBD) && Files.isExecutable(INSTALL_DB) && Files.exists(PROVIDER)
        && Files.isExecutable(Path.of("/usr/bin/rsync"));
  }

  List<Node> nodes() {
    return nodes;
  }

  Node node(int index) {
    return nodes.get(index - 1);
  }

  /** {@code host:port,host:port,...} of the SQL ports, starting at node {@code first}. */
  String hostList(int first) {
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < nodes.size(); k++) {
      Node n = nodes.get((first - 1 + k) % nodes.size());
      b.append(k == 0 ? "" : ",").append("127.0.0.1:").append(n.sqlPort);
    }
    return b.toString();
  }

  /** Installs the first node, bootstraps the cluster and joins the others one by one (SST). */
  void start(Duration perNode) throws IOException, InterruptedException {
    Node first = nodes.get(0);
    Files.createDirectories(first.dataDir);
    run(List.of(INSTALL_DB.toString(), "--no-defaults", "--datadir=" + first.dataDir, "--user=root",
        "--auth-root-authentication-method=normal", "--skip-test-db", "--innodb-log-file-size=16M"),
        first.dataDir.resolveSibling("install.log"));
    launch(first, List.of("--wsrep-new-cluster"));
    awaitSynced(first, perNode);
    for (Node n : nodes.subList(1, nodes.size())) {
      Files.createDirectories(n.dataDir);
      // rsync SST as root: the joiner's rsync daemon runs as nobody and writes here.
      run(List.of("chown", "nobody:nogroup", n.dataDir.toString()), n.dataDir.resolveSibling("chown.log"));
      launch(n, List.of());
      awaitSynced(n, perNode);
    }
  }

  /** SIGKILL, no shutdown: the node's InnoDB and Galera state are left as after a crash. */
  void kill(int index) throws InterruptedException {
    Node n = node(index);
    n.process.descendants().forEach(ProcessHandle::destroyForcibly);
    n.process.destroyForcibly();
    n.process.waitFor(10, TimeUnit.SECONDS);
  }

  /**
   * Restarts a killed node: {@code --wsrep-recover} reads the last committed position from
   * InnoDB, then the node starts at that position and receives the missing write sets by IST
   * from a donor's gcache. Returns the recovered position.
   */
  String recoverAndRestart(int index, Duration timeout) throws IOException, InterruptedException {
    Node n = node(index);
    Path recoverLog = n.errorLog.resolveSibling("recover.log");
    Files.deleteIfExists(recoverLog);
    List<String> cmd = new ArrayList<>(arguments(n));
    cmd.removeIf(a -> a.startsWith("--log-error="));
    cmd.add("--log-error=" + recoverLog);
    cmd.add("--wsrep-recover");
    run(cmd, n.errorLog.resolveSibling("recover.out"));
    Matcher m = RECOVERED.matcher(Files.readString(recoverLog, StandardCharsets.UTF_8));
    String position = null;
    while (m.find()) {
      position = m.group(1);
    }
    if (position == null) {
      throw new IllegalStateException("node " + index + ": --wsrep-recover printed no position");
    }
    launch(n, List.of("--wsrep_start_position=" + position));
    awaitSynced(n, timeout);
    return position;
  }

  /** Whether the node's error log says it joined by incremental state transfer. */
  boolean joinedByIst(int index) throws IOException {
    return Files.readString(node(index).errorLog, StandardCharsets.UTF_8).contains("IST received");
  }

  private List<String> arguments(Node n) {
    StringBuilder gcomm = new StringBuilder("gcomm://");
    for (Node o : nodes) {
      gcomm.append(o.index == 1 ? "" : ",").append("127.0.0.1:").append(o.gcommPort);
    }
    return List.of(MARIADBD.toString(), "--no-defaults", "--user=root",
        "--datadir=" + n.dataDir, "--port=" + n.sqlPort, "--bind-address=127.0.0.1",
        "--socket=" + n.dataDir.resolveSibling("mysqld.sock"),
        "--pid-file=" + n.dataDir.resolveSibling("mysqld.pid"),
        "--log-error=" + n.errorLog, "--skip-name-resolve",
        "--binlog_format=ROW", "--default_storage_engine=InnoDB", "--innodb_autoinc_lock_mode=2",
        "--innodb_log_file_size=16M", "--innodb_buffer_pool_size=64M", "--max_connections=200",
        "--innodb_flush_log_at_trx_commit=2",
        "--wsrep_on=ON", "--wsrep_provider=" + PROVIDER, "--wsrep_cluster_name=testigo-test",
        "--wsrep_cluster_address=" + gcomm, "--wsrep_node_name=node" + n.index,
        "--wsrep_node_address=127.0.0.1:" + n.gcommPort,
        "--wsrep_sst_method=rsync", "--wsrep_sst_receive_address=127.0.0.1:" + n.sstPort,
        "--wsrep_provider_options=gmcast.listen_addr=tcp://127.0.0.1:" + n.gcommPort
            + ";ist.recv_addr=127.0.0.1:" + n.istPort
            + ";gcache.size=16M;evs.suspect_timeout=PT2S;evs.keepalive_period=PT0.5S");
  }

  private void launch(Node n, List<String> extra) throws IOException {
    List<String> cmd = new ArrayList<>(arguments(n));
    cmd.addAll(extra);
    n.process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(n.errorLog.resolveSibling("stdout.log").toFile()).start();
  }

  /** Waits until the node accepts SQL and reports {@code wsrep_local_state_comment = Synced}. */
  void awaitSynced(Node n, Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!n.alive()) {
        throw new IllegalStateException("node " + n.index + " exited:\n" + tail(n.errorLog));
      }
      try (Connection c = DriverManager.getConnection(n.jdbcUrl(""), "root", "");
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SHOW STATUS LIKE 'wsrep_local_state_comment'")) {
        if (r.next() && "Synced".equals(r.getString(2))) {
          return;
        }
      } catch (SQLException notYet) {
        // starting, or receiving a state transfer
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("node " + n.index + " not synced in " + timeout + ":\n" + tail(n.errorLog));
  }

  /** Runs SQL as root on a live node. */
  void execute(int index, String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(node(index).jdbcUrl(""), "root", "");
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  /** A root connection to a node's database, reading only after the node applied all prior commits. */
  Connection connect(int index, String database) throws SQLException {
    Connection c = DriverManager.getConnection(node(index).jdbcUrl(database), "root", "");
    try (Statement s = c.createStatement()) {
      s.execute("SET SESSION wsrep_sync_wait = 1");
    }
    return c;
  }

  private static void run(List<String> cmd, Path log) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + cmd.get(0));
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(cmd.get(0) + " exited " + p.exitValue() + ":\n" + tail(log));
    }
  }

  static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  Path root() {
    return root;
  }

  /** Stops every node (SIGTERM, then SIGKILL after 20 s) and any child it left (rsync). */
  @Override
  public void close() throws InterruptedException {
    for (Node n : nodes) {
      if (n.process != null) {
        List<ProcessHandle> children = n.process.descendants().toList();
        n.process.destroy();
        if (!n.process.waitFor(20, TimeUnit.SECONDS)) {
          n.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
      }
    }
  }
}
