package io.pglogs.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy between the SDK and moto that injects DynamoDB's failure modes into a share of BatchWriteItem calls:
 * throttling, 5xx, connections dropped before or after the write reached moto, and UnprocessedItems (half the batch
 * is written, the other half handed back). Everything else passes through untouched. Seeded, so a run is repeatable.
 *
 * <p>It also records every request as the SDK sent it, so a test can prove what went over the wire (an RDS
 * {@code ApplyImmediately}, the order of a write and a delete), not what the code meant to send; {@link #recording}
 * makes one that only records.
 *
 * <p>It can also refuse, as DynamoDB refuses a batch for one item it will not take, every call whose request holds a
 * marker, and it counts the calls of each operation.
 */
public final class FaultProxy implements AutoCloseable {
    public enum Fault { THROTTLE, SERVER_ERROR, DROP_BEFORE, DROP_AFTER, UNPROCESSED }

    /**
     * One request as the SDK sent it.
     *
     * @param action the query protocol's Action (RDS, SQS query), or the operation after the '.' of X-Amz-Target
     * @param form   the decoded form parameters of a query-protocol request (empty otherwise)
     */
    public record Request(String method, String path, String action, Map<String, String> form, String body) {
    }

    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "keep-alive");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI target;
    private final Random random;
    private final Map<Fault, AtomicInteger> injected = new EnumMap<>(Fault.class);
    private final AtomicInteger batchWrites = new AtomicInteger();
    private final List<Request> requests = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private volatile double rate;
    private volatile List<Fault> faults;
    private int budget = Integer.MAX_VALUE;
    private final Map<String, AtomicInteger> calls = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile byte[] refuseMarker;
    private volatile String refuseType;
    private volatile String refuseMessage;
    private final AtomicInteger refused = new AtomicInteger();
    private final List<String> bodies = new java.util.ArrayList<>();
    private final String operation;
    private final String throttleCode;

    /** Faults DynamoDB's BatchWriteItem. */
    public FaultProxy(URI target, double rate, List<Fault> faults, long seed) throws IOException {
        this(target, rate, faults, seed, ".BatchWriteItem", "com.amazonaws.dynamodb.v20120810#"
                + "ProvisionedThroughputExceededException");
    }

    /**
     * Faults the JSON-protocol operation whose X-Amz-Target ends with {@code operation} (several: ".A|.B"),
     * throttling with that service's error code (e.g. ".FilterLogEvents", "ThrottlingException" for CloudWatch Logs).
     */
    public FaultProxy(URI target, double rate, List<Fault> faults, long seed, String operation, String throttleCode)
            throws IOException {
        this.operation = operation;
        this.throttleCode = throttleCode;
        this.target = target;
        this.rate = rate;
        this.faults = faults;
        this.random = new Random(seed);
        for (Fault f : Fault.values()) {
            injected.put(f, new AtomicInteger());
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A proxy that injects nothing and records every request. */
    public static FaultProxy recording(URI target) throws IOException {
        return new FaultProxy(target, 0, List.of(), 0);
    }

    /** Every request so far, in the order they arrived. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The requests of one operation, e.g. "ModifyDBInstance". */
    public List<Request> requests(String action) {
        return requests().stream().filter(r -> action.equals(r.action())).toList();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Changes the share of BatchWriteItem calls that fail, and how; 0 lets everything through. */
    public void setFaults(double rate, List<Fault> faults) {
        this.rate = rate;
        this.faults = faults;
    }

    /** At most {@code injections} more faults, then everything passes: "fail the first N calls". */
    public void limit(int injections) {
        synchronized (random) {
            budget = injections;
        }
    }

    public int injected(Fault f) {
        return injected.get(f).get();
    }

    public int batchWrites() {
        return batchWrites.get();
    }

    /** Calls whose X-Amz-Target ends with {@code operation} (e.g. ".PutItem"), faulted or not. */
    public int calls(String operation) {
        return calls.entrySet().stream().filter(e -> e.getKey().endsWith(operation))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    /**
     * Answers every call of the faulted operation whose request body holds {@code marker} (as UTF-8) with HTTP 400
     * and the error {@code type} (e.g. "com.amazon.coral.validate#ValidationException"), or, for a null type, with a
     * bare 400 that names no error at all. A null marker stops it.
     */
    public void refuseContaining(String marker, String type) {
        refuseContaining(marker, type, "One or more parameter values were invalid (injected)");
    }

    /** As {@link #refuseContaining(String, String)}, with the error's message. */
    public void refuseContaining(String marker, String type, String message) {
        this.refuseType = type;
        this.refuseMessage = message;
        this.refuseMarker = marker == null ? null : marker.getBytes(StandardCharsets.UTF_8);
    }

    /** Calls of the faulted operation whose request body holds every one of {@code markers} (as UTF-8). */
    public int callsContaining(String... markers) {
        synchronized (bodies) {
            return (int) bodies.stream().filter(b -> java.util.Arrays.stream(markers).allMatch(b::contains)).count();
        }
    }

    /** Calls refused by {@link #refuseContaining}. */
    public int refused() {
        return refused.get();
    }

    /** Whether {@code target} is of a faulted operation: {@code operation} may name several, as ".A|.B". */
    private boolean faulted(String target) {
        for (String op : operation.split("\\|")) {
            if (target.endsWith(op)) {
                return true;
            }
        }
        return false;
    }

    private boolean holdsMarker(String target, byte[] body) {
        byte[] marker = refuseMarker;
        if (marker == null || target == null || !faulted(target)) {
            return false;
        }
        outer:
        for (int i = 0; i + marker.length <= body.length; i++) {
            for (int k = 0; k < marker.length; k++) {
                if (body[i + k] != marker[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private Fault choose(String target) {
        if (target == null || !faulted(target)) {
            return null;
        }
        batchWrites.incrementAndGet();
        synchronized (random) {
            if (faults.isEmpty() || budget <= 0 || random.nextDouble() >= rate) {
                return null;
            }
            budget--;
            return faults.get(random.nextInt(faults.size()));
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            record(exchange, body);
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (target != null) {
                calls.computeIfAbsent(target, t -> new AtomicInteger()).incrementAndGet();
                if (faulted(target)) {
                    synchronized (bodies) {
                        bodies.add(new String(body, StandardCharsets.UTF_8));
                    }
                }
            }
            if (holdsMarker(target, body)) {
                refused.incrementAndGet();
                String type = refuseType;
                if (type == null) {
                    exchange.sendResponseHeaders(400, -1);
                } else {
                    error(exchange, 400, type, refuseMessage);
                }
                return;
            }
            Fault fault = choose(target);
            if (fault != null) {
                injected.get(fault).incrementAndGet();
            }
            if (fault == Fault.THROTTLE) {
                error(exchange, 400, throttleCode, "Rate exceeded (injected)");
                return;
            }
            if (fault == Fault.SERVER_ERROR) {
                error(exchange, 500, throttleCode.replaceFirst("[^#]*$", "InternalServerError"),
                        "Internal server error (injected)");
                return;
            }
            if (fault == Fault.DROP_BEFORE) {
                return; // closing the exchange without a response drops the connection
            }
            String[] unprocessed = new String[1];
            if (fault == Fault.UNPROCESSED) {
                body = keepFirstHalf(body, unprocessed);
            }
            HttpResponse<byte[]> upstream = forward(exchange, body);
            if (fault == Fault.DROP_AFTER) {
                return; // the write reached moto; the client never hears of it
            }
            byte[] response = upstream.body();
            if (fault == Fault.UNPROCESSED && unprocessed[0] != null) {
                ObjectNode node = (ObjectNode) MAPPER.readTree(response);
                node.set("UnprocessedItems", MAPPER.readTree(unprocessed[0]));
                response = MAPPER.writeValueAsBytes(node);
            }
            upstream.headers().map().forEach((name, values) -> {
                String lower = name.toLowerCase(java.util.Locale.ROOT);
                // The CRC covers moto's body, which this proxy may have rewritten.
                if (!HOP_HEADERS.contains(lower) && !lower.equals("x-amz-crc32") && !lower.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            exchange.sendResponseHeaders(upstream.statusCode(), response.length == 0 ? -1 : response.length);
            if (response.length > 0) {
                exchange.getResponseBody().write(response);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void record(HttpExchange exchange, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        Map<String, String> form = contentType != null && contentType.startsWith("application/x-www-form-urlencoded")
                ? decodeForm(text) : Map.of();
        String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String action = form.containsKey("Action") ? form.get("Action")
                : amzTarget != null ? amzTarget.substring(amzTarget.lastIndexOf('.') + 1) : null;
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), action, form, text));
    }

    private static Map<String, String> decodeForm(String body) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                form.put(java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    /** Rewrites a BatchWriteItem request to its first half; the second half becomes the UnprocessedItems answer. */
    private static byte[] keepFirstHalf(byte[] body, String[] unprocessed) throws IOException {
        ObjectNode request = (ObjectNode) MAPPER.readTree(body);
        ObjectNode items = (ObjectNode) request.get("RequestItems");
        String table = items.fieldNames().next();
        ArrayNode all = (ArrayNode) items.get(table);
        if (all.size() < 2) {
            return body;
        }
        int keep = (all.size() + 1) / 2;
        ArrayNode first = MAPPER.createArrayNode();
        ArrayNode rest = MAPPER.createArrayNode();
        for (int i = 0; i < all.size(); i++) {
            (i < keep ? first : rest).add(all.get(i));
        }
        items.set(table, first);
        ObjectNode left = MAPPER.createObjectNode();
        left.set(table, rest);
        unprocessed[0] = MAPPER.writeValueAsString(left);
        return MAPPER.writeValueAsBytes(request);
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(v -> b.header(name, v));
            }
        });
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        byte[] body = ("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type.substring(type.indexOf('#') + 1));
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
