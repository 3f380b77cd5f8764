package io.pglogs.forwarder;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * {@code java -jar pglogs-forwarder.jar < events.ndjson}: reads Lambda event documents from stdin, one per line, and
 * invokes the handler on each exactly as Lambda would, printing one JSON summary line per event. Exits 1 when any
 * invocation failed (as Lambda would count it), 2 when the configuration is invalid.
 */
public final class LocalRunner {
    private LocalRunner() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("""
                    usage: java -jar pglogs-forwarder.jar < events.ndjson
                    Reads CloudWatch Logs subscription events (Lambda event JSON, one per line) from stdin and
                    invokes the forwarder on each, printing a JSON summary line per event.
                    Environment: PGLOGS_TABLE (required), PGLOGS_TTL_DAYS (90), PGLOGS_SHARDS (4),
                    PGLOGS_REDACT (passwords), PGLOGS_WRITE_PARALLELISM (4), PGLOGS_LOG_TIMEZONE (none: the servers'
                    log_timezone, for ambiguous zone abbreviations), PGLOGS_FORMAT (entries or compact, as the
                    table's pglogs:format tag), PGLOGS_SUMMARIES (true or false, as the table's
                    pglogs:summaries tag), PGLOGS_TIMEOUT_SECONDS (60, the Lambda
                    timeout to emulate), AWS_REGION, AWS_ENDPOINT_URL and the standard credential chain.""");
            return;
        }
        System.exit(run(System.getenv(), System.in, System.out, System.err));
    }

    static int run(Map<String, String> env, java.io.InputStream in, PrintStream out, PrintStream err)
            throws Exception {
        ForwarderHandler handler;
        long timeoutMillis;
        try {
            timeoutMillis = ForwarderConfig.intSetting(env, "PGLOGS_TIMEOUT_SECONDS", 60, 1, 900) * 1000L;
            handler = new ForwarderHandler(ForwarderConfig.fromEnvironment(env), Clients.dynamoDb());
        } catch (ForwarderConfig.InvalidConfigException e) {
            err.println("pglogs-forwarder: " + e.getMessage());
            return 2;
        }
        int failed = 0;
        int invocation = 0;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            invocation++;
            ByteArrayOutputStream result = new ByteArrayOutputStream();
            try {
                handler.handleRequest(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)), result,
                        new LocalContext(timeoutMillis, err));
                out.println(result.toString(StandardCharsets.UTF_8));
            } catch (ForwardingFailedException e) {
                failed++;
                err.println("pglogs-forwarder: invocation " + invocation + " failed: " + e.getMessage());
                out.println(ForwardResult.failureJson(e.getMessage()));
            }
            out.flush();
        }
        if (failed > 0) {
            err.println("pglogs-forwarder: " + failed + " of " + invocation + " invocations failed");
            return 1;
        }
        return 0;
    }

    /** The parts of Lambda's context the handler uses: the deadline and the logger. */
    static final class LocalContext implements Context {
        private final long deadlineMillis;
        private final String requestId = UUID.randomUUID().toString();
        private final PrintStream log;

        LocalContext(long timeoutMillis, PrintStream log) {
            this.deadlineMillis = System.currentTimeMillis() + timeoutMillis;
            this.log = log;
        }

        @Override
        public String getAwsRequestId() {
            return requestId;
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/pglogs-forwarder-local";
        }

        @Override
        public String getLogStreamName() {
            return "local";
        }

        @Override
        public String getFunctionName() {
            return "pglogs-forwarder-local";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:local:000000000000:function:pglogs-forwarder-local";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
        }

        @Override
        public int getMemoryLimitInMB() {
            return 512;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    // Summaries go to stdout from the runner itself; the handler's log lines are diagnostics.
                    if (!message.startsWith("{")) {
                        log.print(message);
                    }
                }

                @Override
                public void log(byte[] message) {
                    log(new String(message, StandardCharsets.UTF_8));
                }
            };
        }
    }
}
