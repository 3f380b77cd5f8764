package io.pglogs.cli.terraform;

import io.pglogs.cli.error.FailureException;
import io.pglogs.cli.error.InterruptedByUserException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs terraform or tofu as a child process, streaming its output live to the command's writers.
 *
 * <p>The child runs in a process group of its own, so Ctrl-C at the terminal reaches only pglogs, which forwards
 * exactly one SIGINT, to Terraform alone: Terraform stops gracefully on the first and, on a second, exits at once and
 * may lose state. pglogs then waits for the child to write its state and release its lock before reporting the
 * interrupt. SIGTERM (a CI
 * runner cancelling a job) and SIGHUP (a closed terminal) are handled the same way: ending pglogs at once would leave
 * Terraform writing into a closed pipe, killed mid-apply with its state locked. An ignored SIGINT stays ignored, as
 * in a shell's background job; the child needs no reset for it, since Terraform installs its own SIGINT handler.
 */
public final class TerraformRunner implements Terraform {
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final List<String> STOP_SIGNALS = List.of("INT", "TERM", "HUP");

    private final Path binary;
    private final boolean color;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<String, String> environment;
    /**
     * What the AWS SDK inside the provider says when a connection broke mid-response; the provider retries throttling
     * and 5xx itself, but not these.
     */
    private static final List<String> IN_TRANSIT = List.of("use of closed network connection",
            "connection reset by peer", "unexpected EOF");

    private boolean quiet;
    private volatile Process current;
    private volatile boolean lastRunFailedInTransit;
    private volatile boolean interrupted;

    public TerraformRunner(Path binary, boolean color, PrintWriter out, PrintWriter err,
                           Map<String, String> environment) {
        this.binary = binary;
        this.color = color;
        this.out = out;
        this.err = err;
        this.environment = new HashMap<>(environment);
    }

    /**
     * With -q, a run keeps the child's stdout and prints only its summary lines ({@link #summary}); all of it when it
     * fails. Its stderr (errors, warnings) is streamed as ever.
     */
    public TerraformRunner quiet(boolean quiet) {
        this.quiet = quiet;
        return this;
    }

    /** The lines of Terraform's output that say what a plan or apply does or did: "Plan: 1 to add, ...". */
    static String summary(String output) {
        StringBuilder b = new StringBuilder();
        for (String line : output.split("\n")) {
            String l = line.strip();
            if (l.startsWith("Plan: ") || l.startsWith("No changes.") || l.startsWith("Apply complete!")
                    || l.startsWith("Destroy complete!") || l.startsWith("Error: ")) {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }

    @Override
    public Path binary() {
        return binary;
    }

    /**
     * Runs {@code terraform <args>} in {@code dir} and returns its exit code. {@code -no-color} is added after the
     * subcommand (both words of {@code state rm}) when colour is off.
     *
     * @throws InterruptedByUserException after an interrupt, once the child has exited
     */
    @Override
    public int run(Path dir, List<String> args) {
        if (!quiet) {
            return run(dir, args, out);
        }
        StringWriter captured = new StringWriter();
        int code = run(dir, args, new PrintWriter(captured));
        // plan -detailed-exitcode says "there are changes" with 2: a plan that worked.
        boolean worked = code == 0 || code == 2 && args.contains("-detailed-exitcode");
        synchronized (out) {
            out.print(worked ? summary(captured.toString()) : captured.toString());
            out.flush();
        }
        return code;
    }

    /**
     * Runs {@code terraform <args>} in {@code dir} and returns what it printed on stdout (its stderr is streamed as
     * usual), for commands whose output pglogs reads, such as {@code state list}.
     *
     * @throws FailureException when the child exits non-zero
     */
    @Override
    public String capture(Path dir, List<String> args) {
        StringWriter captured = new StringWriter();
        int code = run(dir, args, new PrintWriter(captured));
        if (code != 0) {
            throw new FailureException(binary.getFileName() + " " + String.join(" ", args) + " failed in " + dir
                    + " (exit " + code + ")");
        }
        return captured.toString();
    }

    private int run(Path dir, List<String> args, PrintWriter stdout) {
        List<String> command = new ArrayList<>();
        boolean ownGroup = Files.isExecutable(SETSID);
        if (ownGroup) {
            command.add(SETSID.toString());
        }
        command.add(binary.toString());
        // "state rm" and its siblings are a subcommand of two words: the flag goes after both.
        int words = args.get(0).equals("state") && args.size() > 1 ? 2 : 1;
        command.addAll(args.subList(0, words));
        if (!color && !args.get(0).equals("version")) {
            command.add("-no-color");
        }
        command.addAll(args.subList(words, args.size()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        // Exactly the environment pglogs was given (its context's), never more: what the child acts as is decided here.
        pb.environment().clear();
        pb.environment().putAll(environment);
        pb.environment().put("TF_IN_AUTOMATION", "1");
        pb.environment().put("TF_INPUT", "0");
        Map<Signal, SignalHandler> previous = installStopHandlers();
        try {
            Process p = pb.start();
            current = p;
            p.getOutputStream().close();
            Thread o = pump(p.getInputStream(), stdout, null);
            TransitWatch watch = new TransitWatch();
            Thread e = pump(p.getErrorStream(), err, watch);
            if (interrupted) {
                interrupt();
            }
            int code = waitUninterruptibly(p);
            if (interrupted && ownGroup) {
                endLeftovers(p.pid());
            }
            join(o);
            join(e);
            lastRunFailedInTransit = code != 0 && watch.seen;
            if (interrupted) {
                throw new InterruptedByUserException(binary.getFileName() + " " + args.get(0) + " in " + dir
                        + " was interrupted and has exited (code " + code + "); its state is saved and unlocked");
            }
            return code;
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot run " + binary + ": " + ex.getMessage(), ex);
        } finally {
            current = null;
            previous.forEach(Signal::handle);
        }
    }

    /** Sends the running child one SIGINT, which Terraform takes as Ctrl-C. Safe to call again. */
    public synchronized void interrupt() {
        boolean first = !interrupted;
        interrupted = true;
        Process p = current;
        if (p == null || !p.isAlive() || (!first && signalled)) {
            return;
        }
        signalled = true;
        // Terraform's pid only, not its process group: the group's other members (a local-exec provisioner's shell
        // and what it runs, just forked) getting the same SIGINT made tofu count two interrupts in about one stop of
        // eight ("Two interrupts received. Exiting immediately"); sent to tofu alone, none in 24. Terraform stops its
        // provisioners (killing their commands) and providers itself.
        String target = Long.toString(p.pid());
        Process kill;
        try {
            kill = new ProcessBuilder("kill", "-INT", "--", target).inheritIO().start();
        } catch (IOException ex) {
            // No SIGINT went out: SIGTERM, which Terraform takes as the same graceful interrupt, is the one signal.
            p.destroy();
            return;
        }
        try {
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            // The SIGINT is on its way: a SIGTERM now would be Terraform's second interrupt ("Two interrupts
            // received. Exiting immediately"), which may leave its state unsaved and locked.
            Thread.currentThread().interrupt();
        }
    }

    private boolean signalled;

    /**
     * After an interrupted Terraform has exited, what its provisioners started may still run in its process group
     * (the SIGINT went to Terraform alone): SIGTERM to the group ends them, as Ctrl-C at a terminal would have.
     */
    private static void endLeftovers(long group) {
        try {
            new ProcessBuilder("kill", "-TERM", "--", "-" + group).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException ex) {
            // nothing left to end, or no kill: leftovers end on their own
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static int waitUninterruptibly(Process p) {
        boolean interruptedWhileWaiting = false;
        try {
            while (true) {
                try {
                    return p.waitFor();
                } catch (InterruptedException ex) {
                    interruptedWhileWaiting = true; // keep waiting: the child must finish releasing its lock
                }
            }
        } finally {
            if (interruptedWhileWaiting) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The handlers replaced, to put back; none for a signal this JVM cannot handle. */
    private Map<Signal, SignalHandler> installStopHandlers() {
        Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
        for (String name : STOP_SIGNALS) {
            Signal signal = new Signal(name);
            String what = name.equals("INT") ? "interrupt" : "SIG" + name;
            try {
                previous.put(signal, Signal.handle(signal, sig -> {
                    err.println("pglogs: " + what + " received; letting " + binary.getFileName()
                            + " stop and save its state (this can take a moment)");
                    err.flush();
                    interrupt();
                }));
            } catch (IllegalArgumentException | UnsupportedOperationException ex) {
                // no signal support here (or -Xrs): the signal then ends pglogs the default way
            }
        }
        return previous;
    }

    /** True when the last run exited non-zero and its errors name a connection that broke in transit. */
    @Override
    public boolean lastRunFailedInTransit() {
        return lastRunFailedInTransit;
    }

    private static final class TransitWatch {
        volatile boolean seen;

        void look(String line) {
            for (String marker : IN_TRANSIT) {
                if (line.contains(marker)) {
                    seen = true;
                }
            }
        }
    }

    private static Thread pump(InputStream in, PrintWriter to, TransitWatch watch) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (watch != null) {
                        watch.look(line);
                    }
                    synchronized (to) {
                        to.println(line);
                        to.flush();
                    }
                }
            } catch (IOException ignored) {
                // the child closed its end
            }
        }, "terraform-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
