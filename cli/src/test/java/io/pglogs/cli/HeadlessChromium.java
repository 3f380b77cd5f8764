package io.pglogs.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium} (installed by scripts/setup-tools), run headless on a local file: the DOM it rendered
 * ({@code --dump-dom}), a PNG of the page ({@code --screenshot}), and every message the page wrote to the console.
 *
 * <p>Console messages come from Chromium's own log on stderr ({@code --enable-logging=stderr}), where every console
 * call, uncaught exception and Content-Security-Policy violation is a line {@code INFO:CONSOLE:LINE] "TEXT", source:
 * URL (LINE)} (older builds: {@code INFO:CONSOLE(LINE)]}). That log does not say which level a message had, so a
 * page meant to run no script at all, like the HTML report, counts any message as a failure. Each run has a profile
 * of its own, so runs in parallel (other tests, other checkouts) never share a profile lock.
 */
public final class HeadlessChromium {
    private static final Pattern CONSOLE = Pattern.compile(":CONSOLE(?::\\d+|\\(\\d+\\))\\] \"(.*)\", source: (.*)$");
    private static final long TIMEOUT_SECONDS = 90;

    /** What Chromium rendered: the DOM after load, and the console messages it logged on the way. */
    public record Page(String dom, List<String> console) {
    }

    private HeadlessChromium() {
    }

    /** Loads {@code html} and returns the serialised DOM with the console messages. */
    public static Page dumpDom(Path html) throws IOException, InterruptedException {
        Run r = run(List.of("--dump-dom", html.toUri().toString()));
        return new Page(r.out, r.console);
    }

    /** Renders {@code html} into {@code png} at a window of {@code width} x {@code height}; the console messages. */
    public static List<String> screenshot(Path html, Path png, int width, int height)
            throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        Run r = run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars", html.toUri().toString()));
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new IOException("chromium wrote no screenshot to " + png + ": " + r.err);
        }
        return r.console;
    }

    private record Run(String out, String err, List<String> console) {
    }

    private static Run run(List<String> args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("pglogs-chromium-");
        Path out = profile.resolveSibling(profile.getFileName() + ".out");
        Path err = profile.resolveSibling(profile.getFileName() + ".err");
        try {
            List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-first-run", "--disable-extensions", "--user-data-dir=" + profile,
                    "--enable-logging=stderr", "--v=0"));
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("HOME", profile.toString()); // nothing written into the user's own ~/.config
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new AssertionError("chromium is not installed (scripts/setup-tools installs Debian's package)", e);
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IOException("chromium did not finish in " + TIMEOUT_SECONDS + " s: " + args);
            }
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException("chromium exited " + p.exitValue() + ": " + stderr);
            }
            return new Run(Files.readString(out, StandardCharsets.UTF_8), stderr, consoleMessages(stderr));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            deleteTree(profile);
        }
    }

    /** The console messages in Chromium's stderr log, as {@code TEXT (source: URL)}. */
    static List<String> consoleMessages(String stderr) {
        List<String> messages = new ArrayList<>();
        for (String line : stderr.split("\n")) {
            Matcher m = CONSOLE.matcher(line);
            if (m.find()) {
                messages.add(m.group(1) + " (source: " + m.group(2) + ")");
            }
        }
        return messages;
    }

    /** Best effort: a helper process of Chromium's may still be closing a file of its profile. */
    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // left in the temporary directory
        }
    }
}
