package io.pglogs.cli.terraform;

import java.util.List;

/**
 * A resource that already exists in AWS and that a root manages: imported into the root's state before the plan, so
 * that the apply updates it instead of failing to create it (or, worse, replacing it).
 *
 * @param address             the resource's address in the root, e.g. {@code module.table.aws_dynamodb_table.this[0]}
 * @param importId            the id {@code terraform import} takes for it
 * @param what                what the operator is told, e.g. "log group /aws/lambda/f (retention: never expire)"
 * @param needsConfirmation   true when adopting it hands data to this state (a table): then the operator must agree
 * @param managedAt           the addresses at which the state already manages it (address among them)
 */
public record Adoption(String address, String importId, String what, boolean needsConfirmation,
                       List<String> managedAt) {
    public Adoption(String address, String importId, String what, boolean needsConfirmation) {
        this(address, importId, what, needsConfirmation, List.of(address));
    }
}
