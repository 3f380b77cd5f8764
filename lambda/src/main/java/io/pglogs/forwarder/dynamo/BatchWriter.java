package io.pglogs.forwarder.dynamo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Writes items with BatchWriteItem, 25 at a time, several batches in flight. Unprocessed items, throttling, 5xx and
 * broken connections are retried with exponential backoff and full jitter until the deadline; anything still unwritten
 * then is reported by {@link WriteIncompleteException}, never dropped.
 *
 * <p>DynamoDB rejects a whole batch for one item it will not take (ValidationException), so a rejected batch is
 * halved until the item is alone: the others are written and the rejected item comes back in
 * {@link Report#rejected()} with DynamoDB's reason, for the caller to store in another form or to name.
 */
public final class BatchWriter implements AutoCloseable {
    public static final int MAX_BATCH = 25;
    private static final long BASE_BACKOFF_MS = 20;
    private static final long MAX_BACKOFF_MS = 2_000;

    private final DynamoDbClient ddb;
    private final String table;
    private final int parallelism;
    private final ExecutorService pool;
    /**
     * Backoff jitter, one generator for all writer threads so {@link #reseed} reaches them all: instances restored
     * from one SnapStart snapshot would otherwise retry in lockstep, which is what jitter is there to prevent.
     */
    private final Random jitter = new Random();

    public BatchWriter(DynamoDbClient ddb, String table, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        this.ddb = ddb;
        this.table = table;
        this.parallelism = parallelism;
        this.pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "pglogs-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * What one {@link #write} did. {@code duplicateKeys}: items dropped because a later one had the same key;
     * {@code rejected}: items DynamoDB refused on their own (not counted in {@code written}).
     */
    public record Report(int written, int batches, int retries, int duplicateKeys, List<Rejected> rejected) {
        public static final Report NOTHING = new Report(0, 0, 0, 0, List.of());
    }

    /** An item DynamoDB refused when it was alone in its request, and DynamoDB's reason. */
    public record Rejected(Map<String, AttributeValue> item, String reason) {
    }

    private record BatchOutcome(int unwritten, int retries, SdkException lastError, List<Rejected> rejected) {
        static BatchOutcome done(int retries) {
            return new BatchOutcome(0, retries, null, List.of());
        }

        static BatchOutcome unwritten(int unwritten, int retries, SdkException lastError) {
            return new BatchOutcome(unwritten, retries, lastError, List.of());
        }

        BatchOutcome plus(BatchOutcome o) {
            List<Rejected> both = new ArrayList<>(rejected);
            both.addAll(o.rejected);
            return new BatchOutcome(unwritten + o.unwritten, retries + o.retries,
                    lastError != null ? lastError : o.lastError, both);
        }
    }

    public Report write(Collection<Map<String, AttributeValue>> items, Deadline deadline)
            throws WriteIncompleteException, InterruptedException {
        Map<String, Map<String, AttributeValue>> unique = uniqueByKey(items);
        List<List<WriteRequest>> batches = batches(unique.values());
        List<Future<BatchOutcome>> futures = new ArrayList<>(batches.size());
        for (List<WriteRequest> batch : batches) {
            if (batches.size() == 1 || parallelism == 1) {
                // No thread hand-off for the common small payload.
                futures.add(CompletableFuture.completedFuture(writeBatch(batch, deadline)));
            } else {
                futures.add(pool.submit(() -> writeBatch(batch, deadline)));
            }
        }
        int unwritten = 0;
        int retries = 0;
        Throwable cause = null;
        List<Rejected> rejected = new ArrayList<>();
        for (Future<BatchOutcome> f : futures) {
            try {
                BatchOutcome o = f.get();
                unwritten += o.unwritten();
                retries += o.retries();
                rejected.addAll(o.rejected());
                if (o.unwritten() > 0 && cause == null) {
                    cause = o.lastError();
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException("batch writer failed unexpectedly", e.getCause());
            }
        }
        if (unwritten > 0) {
            throw new WriteIncompleteException(unwritten + " of " + unique.size() + " items not written to table "
                    + table + (cause == null ? " before the deadline" : ": " + describe(cause)), unwritten, cause);
        }
        return new Report(unique.size() - rejected.size(), batches.size(), retries, items.size() - unique.size(),
                rejected);
    }

    /** BatchWriteItem rejects a batch holding one key twice; the same key means the same event, so keep the last. */
    private static Map<String, Map<String, AttributeValue>> uniqueByKey(Collection<Map<String, AttributeValue>> items) {
        Map<String, Map<String, AttributeValue>> unique = new LinkedHashMap<>(items.size() * 2);
        for (Map<String, AttributeValue> item : items) {
            unique.put(item.get(ItemContract.PK).s() + '\u0000' + item.get(ItemContract.SK).s(), item);
        }
        return unique;
    }

    private static List<List<WriteRequest>> batches(Collection<Map<String, AttributeValue>> items) {
        List<List<WriteRequest>> batches = new ArrayList<>(items.size() / MAX_BATCH + 1);
        List<WriteRequest> current = new ArrayList<>(MAX_BATCH);
        for (Map<String, AttributeValue> item : items) {
            current.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            if (current.size() == MAX_BATCH) {
                batches.add(current);
                current = new ArrayList<>(MAX_BATCH);
            }
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /** Writes one batch until done, a non-retryable error, or the deadline; a rejected batch is halved. */
    private BatchOutcome writeBatch(List<WriteRequest> batch, Deadline deadline) throws InterruptedException {
        List<WriteRequest> pending = batch;
        SdkException lastError = null;
        int attempt = 0;
        while (true) {
            long remaining = deadline.remainingMillis();
            if (remaining <= 0) {
                return BatchOutcome.unwritten(pending.size(), attempt, lastError);
            }
            try {
                List<WriteRequest> request = pending;
                // The SDK retries inside a call too (DynamoDB's default: up to 9 attempts, backoff up to 20 s);
                // bounding the whole call keeps those retries inside the invocation's time.
                pending = ddb.batchWriteItem(b -> b.requestItems(Map.of(table, request))
                                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMillis(remaining))))
                        .unprocessedItems().getOrDefault(table, List.of());
                if (pending.isEmpty()) {
                    return BatchOutcome.done(attempt);
                }
            } catch (SdkException e) {
                // A timeout says less than the throttling or 5xx that led to it: keep the service's own word.
                if (lastError == null || e instanceof AwsServiceException || !(lastError instanceof AwsServiceException)) {
                    lastError = e;
                }
                if (isItemRejection(e)) {
                    return isolate(pending, (AwsServiceException) e, deadline).plus(BatchOutcome.done(attempt));
                }
                if (!isRetryable(e)) {
                    return BatchOutcome.unwritten(pending.size(), attempt, e);
                }
            }
            attempt++;
            long ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS << Math.min(attempt, 16));
            long sleep = jitter.nextInt((int) ceiling + 1);
            if (deadline.remainingMillis() <= sleep) {
                return BatchOutcome.unwritten(pending.size(), attempt, lastError);
            }
            Thread.sleep(sleep);
        }
    }

    /** The client and table written to, for the writers of the same table's other items ({@link RollupBumper}). */
    DynamoDbClient ddb() {
        return ddb;
    }

    String table() {
        return table;
    }

    /** Starts the backoff jitter afresh; SnapStart's restore hook calls it with a seed drawn after the restore. */
    public void reseed(long seed) {
        jitter.setSeed(seed);
    }

    /**
     * A batch DynamoDB refused for its content: alone, the item is rejected; else each half is written on its own,
     * so n items with one bad among them cost about 2·log2(n) more calls, and the good ones land.
     */
    private BatchOutcome isolate(List<WriteRequest> refused, AwsServiceException e, Deadline deadline)
            throws InterruptedException {
        if (refused.size() == 1) {
            return new BatchOutcome(0, 0, null, List.of(new Rejected(refused.get(0).putRequest().item(), describe(e))));
        }
        int half = refused.size() / 2;
        return writeBatch(refused.subList(0, half), deadline)
                .plus(writeBatch(refused.subList(half, refused.size()), deadline));
    }

    /**
     * DynamoDB's answers that blame the request's content rather than the table, the account or the moment:
     * ValidationException (an item too large, an empty key, text that is not valid Unicode), SerializationException,
     * and a bare 400 without an error code. Missing tables and access errors are not: halving would not help.
     */
    static boolean isItemRejection(SdkException e) {
        if (!(e instanceof AwsServiceException ase) || ase.statusCode() != 400 || ase.isThrottlingException()) {
            return false;
        }
        String code = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorCode();
        return code == null || code.isEmpty() || code.equals("ValidationException")
                || code.equals("SerializationException");
    }

    static boolean isRetryable(SdkException e) {
        if (e instanceof AwsServiceException ase) {
            return ase.isThrottlingException() || ase.statusCode() >= 500;
        }
        // Connection reset, timeout, unreadable response: the write may or may not have happened; keys make it safe.
        return e instanceof SdkClientException || e.retryable();
    }

    /** One line naming what went wrong; never "null", whatever the exception lacks. */
    public static String describe(Throwable e) {
        if (e instanceof AwsServiceException ase) {
            var details = ase.awsErrorDetails();
            String code = details == null ? null : details.errorCode();
            String message = details == null ? null : details.errorMessage();
            String status = ase.statusCode() > 0 ? "HTTP " + ase.statusCode() : null;
            return firstOf(code, status, e.getClass().getSimpleName()) + ": "
                    + firstOf(firstLine(message), code == null ? null : status, "no message from the service");
        }
        return firstOf(firstLine(e.getMessage()), e.getClass().getSimpleName());
    }

    private static String firstLine(String s) {
        if (s == null || s.isBlank() || s.equals("null")) {
            return null;
        }
        return s.lines().findFirst().orElse(s).trim();
    }

    private static String firstOf(String... choices) {
        for (String c : choices) {
            if (c != null && !c.isBlank()) {
                return c;
            }
        }
        return "";
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
