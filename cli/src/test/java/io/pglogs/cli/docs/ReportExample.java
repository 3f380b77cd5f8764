package io.pglogs.cli.docs;

import io.pglogs.cli.HeadlessChromium;
import io.pglogs.cli.TestCli;
import io.pglogs.forwarder.parse.LogEntry;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The examples docs/report.md shows, made from a real server's log, never by hand: the corpus checked in with the
 * tests (lambda/src/test/resources/corpus/postgresql.log, made by scripts/pg-corpus) imported into moto through the
 * forwarder's code, then {@code pglogs report} of its whole window as text (100 columns, no colour) and as HTML, and a
 * screenshot of that HTML taken by headless Chromium, which carries the SHA-256 of the page it shows (a PNG tEXt
 * chunk). The checked-in corpus makes the same files every time; ReportExampleTest fails when they are stale.
 * scripts/generate-docs runs it (it needs moto and Chromium, which scripts/setup-tools installs).
 *
 * <p>usage: ReportExample REPOSITORY_ROOT (needs -Dpglogs.moto.server)
 */
public final class ReportExample {
    static final String TEXT = "docs/report-example.txt";
    static final String HTML = "docs/report-example.html";
    static final String PNG = "docs/report-example.png";
    static final String SOURCE_KEY = "pglogs-source-sha256";
    private static final String INSTANCE = "orders-db";

    private ReportExample() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        for (Map.Entry<String, byte[]> e : generate().entrySet()) {
            Files.write(root.resolve(e.getKey()), e.getValue());
        }
        System.out.println("ReportExample: wrote " + TEXT + ", " + HTML + ", " + PNG);
    }

    /** The three files, by their path in the repository. */
    static Map<String, byte[]> generate() throws Exception {
        Path dir = Files.createTempDirectory("pglogs-report-example");
        List<LogFileSplitter.RawEntry> corpus = Corpus.snapshot("postgresql.log");
        StringBuilder text = new StringBuilder();
        Instant first = null;
        Instant last = null;
        PostgresLogParser parser = new PostgresLogParser();
        for (LogFileSplitter.RawEntry raw : corpus) {
            LogEntry e = parser.parse(raw.text());
            if (e.timestamp() != null) {
                first = first == null || e.timestamp().isBefore(first) ? e.timestamp() : first;
                last = last == null || e.timestamp().isAfter(last) ? e.timestamp() : last;
            }
            text.append(raw.text()).append('\n');
        }
        Path log = Files.writeString(dir.resolve("postgresql.log"), text, StandardCharsets.UTF_8);
        MotoServer moto = MotoServer.shared();
        TestCli cli = new TestCli();
        cli.env.putAll(moto.childEnvironment());
        cli.env.put("PGLOGS_DEVEL_TABLE", LogTables.create(moto.dynamoDb(), "report-example"));
        cli.env.put("COLUMNS", "100");
        cli.env.put("NO_COLOR", "1");
        check(cli.run("import", "-q", "--no-rollup", "--instance", INSTANCE, log.toString()));
        // Whole minutes around the corpus: the window the example states reads like one an operator would ask for.
        String since = first.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString();
        String until = last.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(60).toString();
        String[] report = {"report", "--instance", INSTANCE, "--since", since, "--until", until, "--top", "5"};
        Map<String, byte[]> files = new TreeMap<>();
        String textReport = check(cli.run(report)).out();
        files.put(TEXT, ("$ pglogs report --instance " + INSTANCE + " --since " + since + " --until " + until
                + " --top 5\n" + textReport).getBytes(StandardCharsets.UTF_8));
        String[] html = java.util.Arrays.copyOf(report, report.length + 2);
        html[report.length] = "-o";
        html[report.length + 1] = "html";
        byte[] page = check(cli.run(html)).out().getBytes(StandardCharsets.UTF_8);
        files.put(HTML, page);
        Path pageFile = Files.write(dir.resolve("report.html"), page);
        Path shot = dir.resolve("report.png");
        List<String> console = HeadlessChromium.screenshot(pageFile, shot, 1100, 1600);
        if (!console.isEmpty()) {
            throw new IllegalStateException("the browser's console: " + console);
        }
        files.put(PNG, PngText.with(Files.readAllBytes(shot), SOURCE_KEY, sha256(page)));
        return files;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static TestCli.Result check(TestCli.Result r) throws IOException {
        if (r.code() != 0) {
            throw new IOException("pglogs failed: " + r);
        }
        return r;
    }
}
