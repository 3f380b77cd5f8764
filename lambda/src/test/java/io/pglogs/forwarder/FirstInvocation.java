package io.pglogs.forwarder;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * A handler's first invocation in a fresh JVM, as Lambda makes it: {@code FirstInvocation primed|unprimed < event}.
 * "primed" first runs the SnapStart hooks (beforeCheckpoint, then afterRestore) as Lambda does around the snapshot,
 * so what follows is what a restored function does. Prints {@code classes=<loaded during the invocation>
 * millis=<its time> warm=<the same payload again, same handler: the floor the emulator sets> summary=<the first
 * invocation's summary>}. Environment as for the local runner.
 */
public final class FirstInvocation {
    private FirstInvocation() {
    }

    public static void main(String[] args) throws Exception {
        boolean primed = args[0].equals("primed");
        byte[] event = System.in.readAllBytes();
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        ForwarderHandler handler = new ForwarderHandler(ForwarderConfig.fromEnvironment(System.getenv()),
                Clients.dynamoDb());
        if (primed) {
            SnapStartHooks hooks = handler.snapStartHooks(System.getenv());
            hooks.beforeCheckpoint(null);
            hooks.afterRestore(null);
        }
        long loadedBefore = classes.getTotalLoadedClassCount();
        long start = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out,
                new LocalRunner.LocalContext(60_000, new PrintStream(System.err, true, StandardCharsets.UTF_8)));
        long millis = (System.nanoTime() - start) / 1_000_000;
        long loaded = classes.getTotalLoadedClassCount() - loadedBefore;
        start = System.nanoTime();
        handler.handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(),
                new LocalRunner.LocalContext(60_000, new PrintStream(System.err, true, StandardCharsets.UTF_8)));
        long warm = (System.nanoTime() - start) / 1_000_000;
        System.out.println("classes=" + loaded + " millis=" + millis + " warm=" + warm
                + " summary=" + out.toString(StandardCharsets.UTF_8));
        handler.closeWriter();
    }
}
