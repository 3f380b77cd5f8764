package io.pglogs.forwarder;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.zip.GZIPOutputStream;
import org.crac.Context;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Lambda SnapStart's runtime hooks (org.crac). Before the snapshot, a dry run of a whole invocation, through the SDK
 * to an HTTP client that answers locally, so a restored function finds decoding, parsing, redaction, item building
 * and the SDK's request path already loaded instead of loading ~1,000 classes on its first invocation. It neither
 * connects anywhere nor resolves credentials, so the snapshot holds no connection to go stale and no credentials to
 * expire; the real client makes its first connection and fetches credentials after the restore. After the restore,
 * the writers' backoff jitter is re-seeded: every instance restored from one snapshot starts from the same memory.
 */
final class SnapStartHooks implements Resource {
    /** The instance whose name the dry run's items carry; nothing is written, but logs and errors show it. */
    static final String PRIMING_INSTANCE = "pglogs-snapstart-priming";

    private final ForwarderConfig config;
    private final Map<String, String> env;
    private final LongConsumer reseedJitter;

    SnapStartHooks(ForwarderConfig config, Map<String, String> env, LongConsumer reseedJitter) {
        this.config = config;
        this.env = env;
        this.reseedJitter = reseedJitter;
    }

    /**
     * A failed dry run is said in the function's log and otherwise ignored: priming only saves time, and failing the
     * checkpoint would fail publishing the version.
     */
    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        try {
            prime();
        } catch (RuntimeException e) {
            System.err.println("pglogs-forwarder: SnapStart priming failed, so a restored function loads on its first"
                    + " invocation what priming would have loaded: " + e);
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // A SecureRandom made now reads the restored system's entropy, not state copied from the snapshot.
        reseedJitter.accept(new SecureRandom().nextLong() ^ System.nanoTime());
    }

    /** Runs the dry invocation; returns the SDK requests it made (each answered locally). */
    int prime() {
        PrimingHttpClient http = new PrimingHttpClient();
        try (DynamoDbClient ddb = Clients.forPriming(http, env)) {
            ForwarderHandler handler = new ForwarderHandler(config, ddb);
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
                handler.handleRequest(new ByteArrayInputStream(primingEvent()), out,
                        new LocalRunner.LocalContext(60_000, quiet));
                if (!out.toString(StandardCharsets.UTF_8).startsWith("{\"status\":\"ok\"")) {
                    throw new IllegalStateException("SnapStart priming did not complete: " + out);
                }
                // Control messages take their own branch of the decoder.
                handler.handleRequest(new ByteArrayInputStream(lambdaEvent(CONTROL)), new ByteArrayOutputStream(),
                        new LocalRunner.LocalContext(60_000, quiet));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                handler.closeWriter();
            }
        }
        return http.requests();
    }

    private static final String CONTROL = "{\"messageType\":\"CONTROL_MESSAGE\",\"owner\":\"CloudwatchLogs\","
            + "\"logGroup\":\"\",\"logStream\":\"\",\"subscriptionFilters\":[],\"logEvents\":[]}";

    private static final String P = "2024-05-01 10:00:05 UTC:10.0.0.1(40000):app@orders:";

    /** Entries in each shape the parser knows (RDS prefix, PostgreSQL 16+ prefix, csvlog, unknown), and a password. */
    private static final String[] LINES = {
        "2024-05-01 10:00:00 UTC:10.0.0.1(40000):app@orders:[4242]:LOG:  statement: ALTER ROLE app PASSWORD 'x'",
        "2024-05-01 10:00:01 UTC:10.0.0.1(40000):app@orders:[4242]:ERROR:  relation \"t\" does not exist at "
                + "character 15\n2024-05-01 10:00:01 UTC:10.0.0.1(40000):app@orders:[4242]:STATEMENT:  select 1 from t",
        "2024-05-01 10:00:02 UTC::@:[4000]:LOG:  checkpoint complete: wrote 3 buffers (0.0%)",
        "2024-05-01 10:00:03.123 UTC:10.0.0.1(40000):app@orders:[4242]:7:42P01:2024-05-01 09:59:00 UTC:3/4:0:"
                + "6632ab00.1092:app:psql:ERROR:  relation \"t\" does not exist",
        "2024-05-01 10:00:04.456 UTC,\"app\",\"orders\",4242,\"10.0.0.1:40000\",6632ab00.1092,8,\"SELECT\","
                + "2024-05-01 09:59:00 UTC,3/4,0,LOG,00000,\"duration: 1.234 ms\",,,,,,,,,\"psql\",\"client backend\",,0",
        "a line no format matches",
        // One of each section the summaries (issue 26) count, so their code is in the snapshot too.
        P + "[4243]:LOG:  process 4243 still waiting for ShareLock on transaction 756 after 1000.123 ms",
        P + "[4243]:DETAIL:  Process holding the lock: 4242. Wait queue: 4243.",
        P + "[4243]:LOG:  process 4243 acquired ShareLock on transaction 756 after 1500.456 ms",
        P + "[4243]:ERROR:  deadlock detected",
        P + "[4243]:DETAIL:  Process 4243 waits for ShareLock on transaction 756; blocked by process 4242.",
        P + "[4243]:LOG:  temporary file: path \"base/pgsql_tmp/pgsql_tmp4243.0\", size 2800000",
        P + "[4243]:STATEMENT:  SELECT g FROM generate_series(1, 200000) g ORDER BY g DESC LIMIT 1",
        "2024-05-01 10:00:05 UTC::@:[4300]:LOG:  automatic vacuum of table \"orders.public.t\": index scans: 0\n"
                + "\tpages: 0 removed, 89 remain, 89 scanned (100.00% of total)\n\ttuples: 10 removed, 10 remain, 0 are "
                + "dead but not yet removable\n\tsystem usage: CPU: user: 0.00 s, system: 0.00 s, elapsed: 0.01 s",
        "2024-05-01 10:00:05 UTC::@:[4300]:LOG:  automatic analyze of table \"orders.public.t\"\n\tsystem usage: "
                + "CPU: user: 0.00 s, system: 0.00 s, elapsed: 0.00 s",
        "2024-05-01 10:00:05 UTC:10.0.0.1(40002):[unknown]@[unknown]:[4244]:LOG:  connection received: "
                + "host=10.0.0.1 port=40002",
        P + "[4244]:LOG:  connection authorized: user=app database=orders application_name=psql",
        P + "[4244]:LOG:  disconnection: session time: 0:00:00.120 user=app database=orders host=10.0.0.1 "
                + "port=40002",
        P + "[4245]:FATAL:  password authentication failed for user \"app\"",
        P + "[4245]:DETAIL:  Connection matched pg_hba.conf line 1: \"host all all all scram-sha-256\"",
        "2024-05-01 10:00:05 UTC::@:[4000]:LOG:  checkpoint starting: time",
        P + "[4242]:LOG:  duration: 150.620 ms  statement: SELECT pg_sleep(0.15)",
        P + "[4242]:LOG:  duration: 0.015 ms  plan:\n\tQuery Text: SELECT 1\n\tResult  (cost=0.00..0.01 rows=1 "
                + "width=4)",
        P + "[4242]:WARNING:  there is no transaction in progress",
        P + "[4242]:HINT:  See server log for query details.",
    };

    /** Sixty events: enough for three BatchWriteItem calls, so the writer's threads run too. */
    static byte[] primingEvent() {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            events.append(i == 0 ? "" : ",").append("{\"id\":\"").append(38_000_000_000_000_000L + i)
                    .append("\",\"timestamp\":1714557600000,\"message\":\"")
                    .append(LINES[i % LINES.length].replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                            .replace("\t", "\\t"))
                    .append("\"}");
        }
        return lambdaEvent("{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"000000000000\",\"logGroup\":"
                + "\"/aws/rds/instance/" + PRIMING_INSTANCE + "/postgresql\",\"logStream\":\"" + PRIMING_INSTANCE
                + ".0\",\"subscriptionFilters\":[\"pglogs\"],\"logEvents\":[" + events + "]}");
    }

    private static byte[] lambdaEvent(String payloadJson) {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(payloadJson.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ("{\"awslogs\":{\"data\":\"" + Base64.getEncoder().encodeToString(gz.toByteArray()) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
