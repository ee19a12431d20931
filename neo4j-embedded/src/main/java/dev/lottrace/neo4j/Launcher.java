package dev.lottrace.neo4j;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.config.Setting;
import org.neo4j.io.ByteUnit;

import inet.ipaddr.IPAddressString;
import sun.misc.Signal;

/**
 * Runs Neo4j Community as an embedded database with the Bolt connector on
 * loopback, so the Go service and its tests can use the official Go driver
 * against it exactly as against a Neo4j server, without Docker or a server
 * install.
 *
 * <p>Contract relied on by scripts and tests:
 * <ul>
 *   <li>stdout carries exactly two lines of our own: the ready line
 *       ("neo4j-embedded: accepting Bolt connections on bolt://HOST:PORT")
 *       once Bolt really accepts, and "neo4j-embedded: stopped" on shutdown;</li>
 *   <li>a port or data directory that is already in use gives a one-line
 *       message on stderr and exit code 2;</li>
 *   <li>SIGTERM/SIGINT shut the database down cleanly and exit 0.</li>
 * </ul>
 */
public final class Launcher {

    private static final String PREFIX = "neo4j-embedded: ";
    private static final String DEFAULT_DATABASE = "neo4j";

    /** Exit code for "refused to start because something else holds the port or data dir". */
    private static final int EXIT_IN_USE = 2;
    /** Exit code for bad command-line usage. Also 2, like most Unix tools. */
    private static final int EXIT_USAGE = 2;
    /** Exit code for any other start-up failure. */
    private static final int EXIT_FAILED = 1;

    private static final String USAGE = String.join("\n",
            "usage: launch [--bolt-port N] [--listen HOST] [--data-dir DIR]",
            "              [--pagecache SIZE] [--tx-memory SIZE]",
            "  --bolt-port N     Bolt port (env NEO4J_BOLT_PORT, default 7687)",
            "  --listen HOST     address Bolt listens on (default 127.0.0.1)",
            "  --data-dir DIR    Neo4j home: store, transaction logs and logs",
            "                    (env NEO4J_DATA_DIR, default ./.neo4j-data)",
            "  --pagecache SIZE  page cache size, e.g. 512m, 2g (env NEO4J_PAGECACHE, default 2g)",
            "  --tx-memory SIZE  cap on memory of all running transactions",
            "                    (dbms.memory.transaction.total.max; default: Neo4j's own)");

    /** Parsed options. Flags win over environment variables, which win over defaults. */
    static final class Options {
        int boltPort = 7687;
        String listen = "127.0.0.1";
        String dataDir = "./.neo4j-data";
        String pagecache = "2g";
        String txMemory; // null: leave Neo4j's default

        static Options parse(String[] args, Map<String, String> env) {
            Options o = new Options();
            if (env.get("NEO4J_BOLT_PORT") != null && !env.get("NEO4J_BOLT_PORT").isBlank()) {
                o.boltPort = parsePort(env.get("NEO4J_BOLT_PORT"), "NEO4J_BOLT_PORT");
            }
            if (env.get("NEO4J_DATA_DIR") != null && !env.get("NEO4J_DATA_DIR").isBlank()) {
                o.dataDir = env.get("NEO4J_DATA_DIR");
            }
            if (env.get("NEO4J_PAGECACHE") != null && !env.get("NEO4J_PAGECACHE").isBlank()) {
                o.pagecache = env.get("NEO4J_PAGECACHE");
            }
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("-h") || arg.equals("--help")) {
                    System.out.println(USAGE);
                    System.exit(0);
                }
                // Accept both "--flag value" and "--flag=value".
                String name = arg;
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
                switch (name) {
                    case "--bolt-port", "--listen", "--data-dir", "--pagecache", "--tx-memory" -> {
                        if (value == null) {
                            if (i + 1 >= args.length) {
                                throw new IllegalArgumentException(name + " needs a value");
                            }
                            value = args[++i];
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
                switch (name) {
                    case "--bolt-port" -> o.boltPort = parsePort(value, name);
                    case "--listen" -> o.listen = value;
                    case "--data-dir" -> o.dataDir = value;
                    case "--pagecache" -> o.pagecache = value;
                    case "--tx-memory" -> o.txMemory = value;
                    default -> throw new IllegalStateException(name);
                }
            }
            return o;
        }

        private static int parsePort(String s, String what) {
            try {
                int p = Integer.parseInt(s.trim());
                if (p < 1 || p > 65535) {
                    throw new NumberFormatException();
                }
                return p;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + ": not a port number: " + s);
            }
        }
    }

    public static void main(String[] args) {
        Options o;
        long pagecacheBytes;
        Long txMemoryBytes = null;
        try {
            o = Options.parse(args, System.getenv());
            pagecacheBytes = parseSize(o.pagecache, "page cache size");
            if (o.txMemory != null) {
                txMemoryBytes = parseSize(o.txMemory, "transaction memory size");
            }
        } catch (IllegalArgumentException e) {
            System.err.println(PREFIX + e.getMessage());
            System.err.println(USAGE);
            System.exit(EXIT_USAGE);
            return;
        }

        // Relative paths are resolved against the caller's working directory
        // (the launch script does not cd before exec-ing us).
        Path dataDir = Paths.get(o.dataDir).toAbsolutePath().normalize();

        // 1. Port check before touching the data dir: Neo4j would otherwise
        //    open (and possibly recover) the whole store and only then fail
        //    to bind, burying the cause in a long stack trace.
        if (!portIsFree(o.listen, o.boltPort)) {
            die(EXIT_IN_USE, "port " + o.boltPort + " is already in use: is another Neo4j running?");
        }

        // 2. Our own lock on the data dir. Neo4j takes a store lock too, but
        //    only deep inside start-up; an OS-level lock held for the life of
        //    this process detects a second launcher early and reliably, and
        //    the kernel drops it if we crash, so there is no stale lock.
        FileLock dirLock = lockDataDir(dataDir);

        // 3. Start Neo4j.
        DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(dataDir)
                    // Bolt only, on the requested address. No TLS: loopback only.
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress(o.listen, o.boltPort))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress(advertisedHost(o.listen), o.boltPort))
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                    // Netty waits a 5 s "quiet period" per Bolt event-loop group
                    // on shutdown (two groups: ~10 s per stop). Connections and
                    // databases are already closed by then, so skip the wait;
                    // tests start and stop this often. (Internal setting, as used
                    // by Neo4j's own test harness.)
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    // The embedded builder never starts the HTTP server, but say so
                    // explicitly so nothing else ever listens.
                    .setConfig(HttpConnector.enabled, false)
                    .setConfig(HttpsConnector.enabled, false)
                    // Listening on loopback only, so no auth; with auth off the Go
                    // driver's BasicAuth with any credentials is still accepted.
                    .setConfig(GraphDatabaseSettings.auth_enabled, false)
                    // Never phone home (anonymous usage data reporting).
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    // Keep every file, logs included, inside the data dir. No user
                    // log provider is set, so Neo4j writes nothing to stdout; its
                    // debug log goes to <data-dir>/logs/debug.log.
                    .setConfig(GraphDatabaseSettings.logs_directory, dataDir.resolve("logs"))
                    .setConfig(GraphDatabaseSettings.pagecache_memory, pagecacheBytes)
                    .setConfig(txMemoryBytes == null ? Map.of()
                            : Map.of(GraphDatabaseSettings.memory_transaction_global_max_size, txMemoryBytes))
                    .setConfig(hardening(emptyImportDir(dataDir)))
                    .build();
        } catch (Throwable t) {
            if (hasCause(t, org.neo4j.io.locker.FileLockException.class)) {
                die(EXIT_IN_USE, "data directory " + dataDir + " is in use by another Neo4j process");
            }
            if (hasCause(t, BindException.class)) {
                die(EXIT_IN_USE, "port " + o.boltPort + " is already in use: is another Neo4j running?");
            }
            System.err.println(PREFIX + "failed to start Neo4j (details in " + dataDir.resolve("logs/debug.log") + "):");
            t.printStackTrace();
            System.exit(EXIT_FAILED);
            return;
        }

        // 4. Clean shutdown on exit. The JVM runs shutdown hooks on SIGTERM and
        //    SIGINT but then exits 128+signal; the signal handlers below turn
        //    those signals into System.exit(0) so a requested stop reports success.
        final DatabaseManagementService service = dbms;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.shutdown();
            } catch (Throwable t) {
                System.err.println(PREFIX + "error during shutdown: " + t);
            }
            releaseQuietly(dirLock);
            System.out.println(PREFIX + "stopped");
            System.out.flush();
        }, "neo4j-embedded-shutdown"));
        for (String sig : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(sig), s -> System.exit(0));
        }

        // 5. Only announce readiness once the default database is available
        //    and Bolt really accepts TCP connections: tests start talking as
        //    soon as they see the line.
        GraphDatabaseService db = dbms.database(DEFAULT_DATABASE);
        if (!db.isAvailable(TimeUnit.MINUTES.toMillis(5))) {
            System.err.println(PREFIX + "database '" + DEFAULT_DATABASE + "' did not become available; see "
                    + dataDir.resolve("logs/debug.log"));
            System.exit(EXIT_FAILED);
        }
        String host = advertisedHost(o.listen);
        if (!waitForPort(host, o.boltPort, TimeUnit.MINUTES.toMillis(1))) {
            System.err.println(PREFIX + "Bolt did not start listening on " + host + ":" + o.boltPort);
            System.exit(EXIT_FAILED);
        }
        System.out.println(PREFIX + "accepting Bolt connections on bolt://" + hostForUri(host) + ":" + o.boltPort);
        System.out.flush();

        // Neo4j's own threads are non-daemon, so returning from main keeps the
        // JVM (and the database) alive until a signal arrives.
    }

    /**
     * The procedures the service and the analysts' console use: the console's schema
     * procedures (graph.ReadOnlyProcedures in the Go code). The service itself calls none.
     */
    static final String PROCEDURE_ALLOWLIST = String.join(",",
            "db.labels", "db.relationshipTypes", "db.propertyKeys",
            "db.schema.visualization", "db.schema.nodeTypeProperties", "db.schema.relTypeProperties");

    /**
     * Settings that keep Cypher inside the graph, whatever a query manages to say (defence in
     * depth behind the console's own checks): LOAD CSV may not read files
     * (dbms.security.allow_csv_import_from_file_urls=false), its file root is an empty folder
     * (server.directories.import), it may not reach any network address
     * (internal.dbms.cypher_ip_blocklist=0.0.0.0/0,::/0), and no plugin procedure or function
     * outside PROCEDURE_ALLOWLIST is loaded (dbms.security.procedures.allowlist; Neo4j's
     * built-in procedures are not subject to it, so the console's plan check is what keeps
     * those out). README's Security section lists the same settings for an external Neo4j.
     */
    static Map<Setting<?>, Object> hardening(Path importDir) {
        return Map.of(
                GraphDatabaseSettings.allow_file_urls, false,
                GraphDatabaseSettings.load_csv_file_url_root, importDir,
                GraphDatabaseInternalSettings.cypher_ip_blocklist,
                        List.of(new IPAddressString("0.0.0.0/0"), new IPAddressString("::/0")),
                GraphDatabaseSettings.procedure_allowlist, List.of(PROCEDURE_ALLOWLIST.split(",")));
    }

    /** An empty folder for LOAD CSV's file root; anything found in it is removed. */
    private static Path emptyImportDir(Path dataDir) throws IOException {
        Path dir = dataDir.resolve("import-empty");
        Files.createDirectories(dir);
        try (var entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                Files.walk(p).sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        return dir;
    }

    /** Parses a Neo4j-style size ("512m", "2g", "1GiB", or plain bytes). */
    private static long parseSize(String s, String what) {
        try {
            long bytes = ByteUnit.parse(s.trim());
            if (bytes <= 0) {
                throw new IllegalArgumentException();
            }
            return bytes;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + ": not a size (like 512m or 2g): " + s);
        }
    }

    /**
     * True if nothing listens on host:port. Binding is the authoritative test
     * (a connect probe would miss a listener on a different local address).
     * SO_REUSEADDR lets us ignore TIME_WAIT leftovers of a previous run, while
     * Linux still refuses the bind if a socket is listening there.
     */
    private static boolean portIsFree(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Takes an exclusive lock on DIR/launcher.lock for the life of the process, or exits 2. */
    private static FileLock lockDataDir(Path dataDir) {
        String inUse = "data directory " + dataDir + " is in use by another Neo4j process";
        try {
            Files.createDirectories(dataDir);
            // The channel is deliberately never closed: closing it releases the lock.
            FileChannel ch = FileChannel.open(dataDir.resolve("launcher.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                die(EXIT_IN_USE, inUse);
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            die(EXIT_IN_USE, inUse);
        } catch (IOException e) {
            die(EXIT_FAILED, "cannot use data directory " + dataDir + ": " + e);
        }
        throw new IllegalStateException("unreachable");
    }

    private static void releaseQuietly(FileLock lock) {
        try {
            lock.release();
            lock.channel().close();
        } catch (IOException | RuntimeException ignored) {
            // Process is exiting; the OS drops the lock anyway.
        }
    }

    /** Polls until a TCP connect to host:port succeeds. */
    private static boolean waitForPort(String host, int port, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1000);
                return true;
            } catch (IOException e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    /** Address clients should use: a wildcard listen address is reached via loopback. */
    private static String advertisedHost(String listen) {
        return switch (listen) {
            case "0.0.0.0", "" -> "127.0.0.1";
            case "::", "[::]", "::0" -> "::1";
            default -> listen;
        };
    }

    private static String hostForUri(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
            for (Throwable s : c.getSuppressed()) {
                if (hasCause(s, type)) {
                    return true;
                }
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    private static void die(int code, String message) {
        PrintStream err = System.err;
        err.println(PREFIX + message);
        err.flush();
        System.exit(code);
    }

    private Launcher() {}
}
