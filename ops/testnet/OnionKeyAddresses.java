import java.nio.file.Path;
import java.security.SecureRandom;
import org.testigo.server.tor.OnionKeyStore;
import org.testigo.server.tor.OnionServiceKey;

/**
 * Test-network helper, run with the server jar on the class path (Java's source launcher):
 * {@code java -cp testigo-intake-server.jar OnionKeyAddresses.java KEY_DIRECTORY}.
 * Creates the source and reviewer onion keys in KEY_DIRECTORY exactly as the intake
 * server does on first start (same class, same modes), and prints one line per service,
 * {@code <name> <address>.onion}, so a test can give reviewers the reviewer address (for
 * their client-authorisation key) before the server publishes it.
 */
public final class OnionKeyAddresses {
  private OnionKeyAddresses() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: OnionKeyAddresses KEY_DIRECTORY");
      System.exit(2);
    }
    OnionKeyStore store = new OnionKeyStore(Path.of(args[0]), new SecureRandom());
    for (String name : new String[] {"source", "reviewer"}) {
      OnionServiceKey key = store.loadOrCreate(name);
      System.out.println(name + " " + key.address().hostname());
      key.destroy();
    }
  }
}
