package io.pglogs.forwarder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The HTTP client of the SDK dry run that primes a SnapStart snapshot: it reads each request as a socket would and
 * answers the way DynamoDB answers a BatchWriteItem that left nothing unprocessed (and a catalogue PutItem that
 * succeeded), without touching the network. The same empty answer serves the rollups' calls (issue 26 part 2): an
 * UpdateItem that returns nothing, a GetItem that finds no item and a Query that finds none. So
 * the snapshot holds the SDK's request path fully loaded (marshalling, endpoint rules, signing, retries, response
 * parsing, CRC32 check) and no connection, and nothing it says can reach a table.
 */
final class PrimingHttpClient implements SdkHttpClient {
    private static final byte[] NOTHING_UNPROCESSED = "{\"UnprocessedItems\":{}}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PUT = "{}".getBytes(StandardCharsets.UTF_8);

    private final AtomicInteger requests = new AtomicInteger();

    /** How many requests the dry run made: none means it primed nothing. */
    int requests() {
        return requests.get();
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                request.contentStreamProvider().ifPresent(body -> drain(body.newStream()));
                requests.incrementAndGet();
                // The catalogue's conditional PutItem is answered as when the day is catalogued and marked already
                // (issue 26): its condition holds, the item is refreshed; what nearly every restored container meets.
                String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
                boolean put = target.endsWith(".PutItem");
                byte[] body = put ? PUT : NOTHING_UNPROCESSED;
                CRC32 crc = new CRC32();
                crc.update(body);
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder().statusCode(200)
                                .putHeader("Content-Type", "application/x-amz-json-1.0")
                                .putHeader("Content-Length", String.valueOf(body.length))
                                .putHeader("x-amz-crc32", String.valueOf(crc.getValue()))
                                .putHeader("x-amzn-RequestId", "pglogs-snapstart-priming")
                                .build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                        .build();
            }

            @Override
            public void abort() {
                // answered synchronously: nothing in flight to abort
            }
        };
    }

    private static void drain(InputStream in) {
        try (in) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String clientName() {
        return "pglogs-priming";
    }

    @Override
    public void close() {
        // holds nothing
    }
}
