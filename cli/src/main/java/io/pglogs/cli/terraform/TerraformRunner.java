package io.pglogs.cli.terraform;

import io.pglogs.cli.FailureException;
import io.pglogs.cli.InterruptedByUserException;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs terraform or tofu as a child process, streaming its output live to the command's writers.
 *
 * <p>The child runs in a process group of its own, so Ctrl-C at the terminal reaches only pglogs, which forwards
 * exactly one SIGINT: Terraform stops gracefully on the first and, on a second, exits at once and may lose state. pglogs
 * then waits for the child to write its state and release its lock before reporting the interrupt.
 */
public final class TerraformRunner {
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Path binary;
    private final boolean color;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<String, String> environment;
    private volatile Process current;
    private volatile boolean interrupted;

    public TerraformRunner(Path binary, boolean color, PrintWriter out, PrintWriter err,
                           Map<String, String> environment) {
        this.binary = binary;
        this.color = color;
        this.out = out;
        this.err = err;
        this.environment = new HashMap<>(environment);
    }

    public Path binary() {
        return binary;
    }

    /**
     * Runs {@code terraform <args>} in {@code dir} and returns its exit code. {@code -no-color} is added after the
     * subcommand when colour is off.
     *
     * @throws InterruptedByUserException after an interrupt, once the child has exited
     */
    public int run(Path dir, List<String> args) {
        return run(dir, args, out);
    }

    /**
     * Runs {@code terraform <args>} in {@code dir} and returns what it printed on stdout (its stderr is streamed as
     * usual), for commands whose output pglogs reads, such as {@code state list}.
     *
     * @throws FailureException when the child exits non-zero
     */
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
        command.add(args.get(0));
        if (!color && !args.get(0).equals("version")) {
            command.add("-no-color");
        }
        command.addAll(args.subList(1, args.size()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        // Exactly the environment pglogs was given (its context's), never more: what the child acts as is decided here.
        pb.environment().clear();
        pb.environment().putAll(environment);
        pb.environment().put("TF_IN_AUTOMATION", "1");
        pb.environment().put("TF_INPUT", "0");
        SignalHandler previous = installInterruptHandler();
        try {
            Process p = pb.start();
            current = p;
            p.getOutputStream().close();
            Thread o = pump(p.getInputStream(), stdout);
            Thread e = pump(p.getErrorStream(), err);
            if (interrupted) {
                interrupt();
            }
            int code = waitUninterruptibly(p);
            join(o);
            join(e);
            if (interrupted) {
                throw new InterruptedByUserException(binary.getFileName() + " " + args.get(0) + " in " + dir
                        + " was interrupted and has exited (code " + code + "); its state is saved and unlocked");
            }
            return code;
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot run " + binary + ": " + ex.getMessage(), ex);
        } finally {
            current = null;
            restoreInterruptHandler(previous);
        }
    }

    /** Sends the running child one SIGINT (to its whole process group), as Ctrl-C would. Safe to call again. */
    public synchronized void interrupt() {
        boolean first = !interrupted;
        interrupted = true;
        Process p = current;
        if (p == null || !p.isAlive() || (!first && signalled)) {
            return;
        }
        signalled = true;
        String target = Files.isExecutable(SETSID) ? "-" + p.pid() : Long.toString(p.pid());
        try {
            new ProcessBuilder("kill", "-INT", "--", target).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException ex) {
            p.destroy();
        }
    }

    private boolean signalled;

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

    private SignalHandler installInterruptHandler() {
        try {
            return Signal.handle(new Signal("INT"), sig -> {
                err.println("pglogs: interrupt received; letting " + binary.getFileName()
                        + " stop and save its state (this can take a moment)");
                err.flush();
                interrupt();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException ex) {
            return null; // no signal support here: Ctrl-C then ends pglogs and the child the default way
        }
    }

    private static void restoreInterruptHandler(SignalHandler previous) {
        if (previous != null) {
            Signal.handle(new Signal("INT"), previous);
        }
    }

    private static Thread pump(InputStream in, PrintWriter to) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
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
