package io.pglogs.cli.failed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The SQS queue where Lambda puts the invocations the forwarder failed after its retries: one on-failure record per
 * payload, the original event inside. Found through the function's on-failure destination, else by the name the
 * Terraform gives it ({@code <function>-failed}), so it is found even while the function is gone.
 */
public final class FailureQueue {
    /** How long a message read by pglogs stays hidden from other readers before it is handed back. */
    static final int READ_VISIBILITY_SECONDS = 900;

    private final SqsClient sqs;
    private final String name;
    private final String url;

    private FailureQueue(SqsClient sqs, String name, String url) {
        this.sqs = sqs;
        this.name = name;
        this.url = url;
    }

    public static String conventionalName(String function) {
        return function + "-failed";
    }

    /** The function's failure queue, or empty when it does not exist. */
    public static Optional<FailureQueue> find(LambdaClient lambda, SqsClient sqs, String function) {
        String destination = destination(lambda, function);
        String name = conventionalName(function);
        String owner = null;
        if (destination != null && destination.startsWith("arn:") && destination.contains(":sqs:")) {
            String[] arn = destination.split(":", 6);
            owner = arn[4];
            name = arn[5];
        }
        String queueName = name;
        String account = owner == null || owner.isEmpty() ? null : owner;
        try {
            String url = sqs.getQueueUrl(b -> b.queueName(queueName).queueOwnerAWSAccountId(account)).queueUrl();
            return Optional.of(new FailureQueue(sqs, queueName, url));
        } catch (QueueDoesNotExistException e) {
            return Optional.empty();
        }
    }

    /** The on-failure destination of the function (or of its SnapStart alias "live"), or null. */
    public static String destination(LambdaClient lambda, String function) {
        for (String qualifier : new String[] {null, "live"}) {
            try {
                var config = lambda.getFunctionEventInvokeConfig(b -> b.functionName(function).qualifier(qualifier));
                if (config.destinationConfig() != null && config.destinationConfig().onFailure() != null
                        && config.destinationConfig().onFailure().destination() != null) {
                    return config.destinationConfig().onFailure().destination();
                }
            } catch (ResourceNotFoundException e) {
                // no function, alias or invoke config: try the next, then the conventional name
            }
        }
        return null;
    }

    public String name() {
        return name;
    }

    public String url() {
        return url;
    }

    /** Payloads in the queue, those being read by someone right now and those delayed included. */
    public long depth() {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        long n = 0;
        for (String v : a.values()) {
            n += Long.parseLong(v);
        }
        return n;
    }

    /**
     * Reads up to {@code limit} messages, each once, and keeps them hidden from other readers until
     * {@link #release} or {@link #delete}: a message not handed back reappears by itself after 15 minutes.
     */
    public List<Message> read(int limit) {
        List<Message> all = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (all.size() < limit) {
            int batch = Math.min(10, limit - all.size());
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(batch)
                    .visibilityTimeout(READ_VISIBILITY_SECONDS).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP)).messages();
            if (got.isEmpty()) {
                break;
            }
            for (Message m : got) {
                if (seen.add(m.messageId())) {
                    all.add(m);
                }
            }
        }
        return all;
    }

    /** Makes messages visible again at once, as they were before they were read. */
    public void release(List<Message> messages) {
        for (Message m : messages) {
            sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
        }
    }

    public void delete(Message message) {
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
    }
}
