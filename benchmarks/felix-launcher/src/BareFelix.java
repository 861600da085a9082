import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * The "bare Felix" peer of the dockevOS benchmark: the Felix framework started
 * through the standard {@link FrameworkFactory}, nothing else.
 *
 * <p>Usage: {@code java -cp felix-framework.jar:classes BareFelix <home>} where
 * {@code <home>/bundle} holds the boot bundles (installed and started in file
 * name order), {@code <home>/cache} is the framework storage (delete it for a
 * cold start) and {@code <home>/deploy} is watched by FileInstall.
 *
 * <p>Signals for the harness, because this peer has no remote command interface:
 * <ul>
 * <li>stdout gets one line {@code READY <ms> ms ...} once every bundle is ACTIVE;
 * {@code <ms>} counts from the JVM's own start time (RuntimeMXBean);</li>
 * <li>{@code <home>/events.log} gets one line {@code STARTED <bsn> <epoch-ms>} for each
 * bundle that reaches ACTIVE (and {@code STOPPED}/{@code UNINSTALLED} likewise), written
 * synchronously from the framework's bundle event, so the deploy-folder figures can
 * be taken by watching a file instead of a command;</li>
 * <li>a file {@code <home>/install-list.txt} (one bundle location, a {@code file:} URL, a
 * line; write it under another name and rename it, so that it appears complete) makes the
 * launcher install every listed jar
 * through {@link BundleContext#installBundle(String)}, then start each, as Karaf's
 * {@code bundle:install -s} does; it deletes the file and prints {@code INSTALLED <n> <ms> ms}
 * (or {@code INSTALL-FAILED <reason>}) on stdout. {@code <home>/uninstall-list.txt} uninstalls
 * the bundles installed from the listed locations and prints {@code UNINSTALLED <n> <ms> ms}.
 * The main thread looks for both every 5 ms while it waits for the framework to stop, so
 * the trigger costs no thread of its own.</li>
 * </ul>
 * SIGTERM stops the framework from a shutdown hook and waits for it to stop, so
 * the JVM exits cleanly.
 */
public final class BareFelix {

    private BareFelix() {
    }

    public static void main(String[] args) throws Exception {
        long mainNanos = System.nanoTime();
        if (args.length != 1) {
            System.err.println("usage: BareFelix <home>");
            System.exit(2);
        }
        File home = new File(args[0]).getAbsoluteFile();
        File bundleDir = new File(home, "bundle");
        File deployDir = new File(home, "deploy");
        File tmpDir = new File(home, "tmp");
        deployDir.mkdirs();
        tmpDir.mkdirs();

        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, new File(home, "cache").getPath());
        // Gogo shell without a console: without this it stops the framework.
        config.put("gosh.args", "--nointeractive");
        config.put("felix.fileinstall.dir", deployDir.getPath());
        config.put("felix.fileinstall.tmpdir", tmpDir.getPath());
        config.put("felix.fileinstall.poll", "50");
        config.put("felix.fileinstall.noInitialDelay", "true");
        config.put("felix.fileinstall.log.level", "1");
        // Any -Dfelix.*, -Dorg.osgi.*, -Dgosh.*, -Dds.* system property overrides the above.
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("felix.") || key.startsWith("org.osgi.") || key.startsWith("gosh.")
                    || key.startsWith("ds.") || key.startsWith("org.apache.felix.")) {
                config.put(key, System.getProperty(key));
            }
        }

        Iterator<FrameworkFactory> factories = ServiceLoader.load(FrameworkFactory.class).iterator();
        if (!factories.hasNext()) {
            System.err.println("no FrameworkFactory on the class path");
            System.exit(2);
        }
        Framework framework = factories.next().newFramework(config);
        framework.init();
        BundleContext context = framework.getBundleContext();

        OutputStream events = new FileOutputStream(new File(home, "events.log"), false);
        context.addBundleListener((SynchronousBundleListener) event -> {
            String kind;
            switch (event.getType()) {
                case BundleEvent.STARTED: kind = "STARTED"; break;
                case BundleEvent.STOPPED: kind = "STOPPED"; break;
                case BundleEvent.UNINSTALLED: kind = "UNINSTALLED"; break;
                default: return;
            }
            String line = kind + " " + event.getBundle().getSymbolicName() + " " + System.currentTimeMillis() + "\n";
            synchronized (events) {
                try {
                    // One write per line, so a reader never sees half a line.
                    events.write(line.getBytes(StandardCharsets.UTF_8));
                    events.flush();
                } catch (IOException e) {
                    // the harness will time out and say so
                }
            }
        });

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
                    framework.stop();
                }
                framework.waitForStop(30_000);
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "bare-felix-shutdown"));

        // Install the boot bundles that the cache does not already hold (warm start).
        File[] jars = bundleDir.listFiles((dir, name) -> name.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            System.err.println("no bundles in " + bundleDir);
            System.exit(2);
        }
        Arrays.sort(jars);
        List<Bundle> boot = new ArrayList<>();
        for (File jar : jars) {
            String location = jar.toURI().toString();
            Bundle b = context.getBundle(location);
            boot.add(b != null ? b : context.installBundle(location));
        }
        framework.start();
        for (Bundle b : boot) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        // Every bundle (boot bundles and anything FileInstall restored) must be ACTIVE.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!allActive(context)) {
            if (System.nanoTime() > deadline) {
                System.err.println("not all bundles ACTIVE after 60 s");
                framework.stop();
                System.exit(1);
            }
            Thread.sleep(1);
        }
        long now = System.currentTimeMillis();
        // JVM start as the JVM records it (ms precision; /proc's start time is coarser).
        long sinceProcess = now - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        long sinceMain = (System.nanoTime() - mainNanos) / 1_000_000L;
        System.out.println("READY " + sinceProcess + " ms since JVM start (" + sinceMain
                + " ms since main), bundles=" + context.getBundles().length + ", at " + Instant.ofEpochMilli(now));
        System.out.flush();

        File installList = new File(home, "install-list.txt");
        File uninstallList = new File(home, "uninstall-list.txt");
        FrameworkEvent stopped;
        while ((stopped = framework.waitForStop(5)).getType() == FrameworkEvent.WAIT_TIMEDOUT) {
            if (installList.isFile()) {
                install(context, installList);
            }
            if (uninstallList.isFile()) {
                uninstall(context, uninstallList);
            }
        }
        synchronized (events) {
            events.close();
        }
        System.out.println("STOPPED " + stopped.getType());
        System.out.flush();
    }

    /** Installs every jar listed in {@code list}, then starts each; prints one line with the elapsed time. */
    private static void install(BundleContext context, File list) {
        long begin = System.nanoTime();
        try {
            List<String> locations = read(list);
            List<Bundle> installed = new ArrayList<>();
            for (String location : locations) {
                installed.add(context.installBundle(location));
            }
            for (Bundle b : installed) {
                b.start();
            }
            System.out.println("INSTALLED " + installed.size() + " " + (System.nanoTime() - begin) / 1_000_000L + " ms");
        } catch (Exception e) {
            System.out.println("INSTALL-FAILED " + e);
        }
        System.out.flush();
    }

    /** Uninstalls the bundles installed from the locations listed in {@code list}. */
    private static void uninstall(BundleContext context, File list) {
        long begin = System.nanoTime();
        int n = 0;
        try {
            for (String location : read(list)) {
                Bundle b = context.getBundle(location);
                if (b != null) {
                    b.uninstall();
                    n++;
                }
            }
            System.out.println("UNINSTALLED " + n + " " + (System.nanoTime() - begin) / 1_000_000L + " ms");
        } catch (Exception e) {
            System.out.println("UNINSTALL-FAILED " + e);
        }
        System.out.flush();
    }

    /** The non-blank lines of a trigger file, which is deleted once read. */
    private static List<String> read(File list) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(list.toPath(), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                lines.add(line.trim());
            }
        }
        java.nio.file.Files.delete(list.toPath());
        return lines;
    }

    private static boolean allActive(BundleContext context) {
        for (Bundle b : context.getBundles()) {
            if (b.getState() != Bundle.ACTIVE && b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                return false;
            }
        }
        return true;
    }
}
