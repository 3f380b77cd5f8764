package io.pglogs.cli.app;

import io.pglogs.cli.config.Setting;
import io.pglogs.cli.error.PreconditionException;
import io.pglogs.cli.table.DeployedTable;
import io.pglogs.cli.table.TableTags;
import io.pglogs.cli.terraform.TerraformSteps;
import io.pglogs.forwarder.dynamo.StorageFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A start whose {@code <env>.table} names another table than the one persistent_data's state manages: the environment
 * moves to the new table (to change its storage format, say) and the old one stays. Terraform would plan to replace
 * the table, destroying every entry in it; instead the old table leaves the state ({@code state rm}, nothing deleted
 * in AWS), the plan then only creates the new one, and the collectors write there. The old table keeps its TTL, so its
 * entries expire on their own, and stays readable with {@code --table}. It is tagged {@link TableTags#REPLACED_BY}, so
 * a start whose settings still name it (a colleague's, a CI runner's) is refused instead of moving back.
 */
final class TableMove {
    private final Session session;
    private final Console console;
    private final TerraformSteps.StateTable from;
    private final Optional<DeployedTable> old;

    private TableMove(Session session, Console console, TerraformSteps.StateTable from, Optional<DeployedTable> old) {
        this.session = session;
        this.console = console;
        this.from = from;
        this.old = old;
    }

    /** The move this start makes: the table the state manages, when the settings name another one. */
    static Optional<TableMove> find(List<TerraformSteps.StateTable> inState, Session session, Console console) {
        return inState.stream().filter(t -> !t.name().equals(session.tableName())).findFirst()
                .map(t -> new TableMove(session, console, t, DeployedTable.read(session.aws().dynamoDb(), t.name())));
    }

    /**
     * A table the environment moved away from is never taken back by a start that names it: the settings that name it
     * are most likely older than the move. Moving back on purpose means removing its tag first.
     */
    static void refuseAReplacedTable(Session session) {
        session.table().map(t -> t.tags().replacedBy()).ifPresent(by -> {
            throw new PreconditionException("table " + session.tableName() + " is tagged " + TableTags.REPLACED_BY
                    + "=" + by + ": " + session.env() + " moved from it to " + by + ". Set "
                    + Setting.TABLE.key(session.env()) + " = " + by + " (settings that name the old table predate the "
                    + "move), and read the old one with 'pglogs query --env " + session.env() + " --table "
                    + session.tableName() + "'; to move back on purpose, remove that tag from it first; nothing was "
                    + "changed");
        });
    }

    /** The old table, for what the new one inherits (its redaction level); empty when it is gone from AWS. */
    Optional<DeployedTable> old() {
        return old;
    }

    /**
     * Prints the move, asks, then takes the old table out of the state and tags it. With planOnly only prints: the
     * plans can be made only once the old table is out of the state.
     *
     * @param approval asked before anything changes; refusing leaves everything as it was (exit 3)
     * @return false when planOnly: nothing was planned
     */
    boolean carryOut(TerraformSteps steps, Path root, StorageFormat format, boolean planOnly,
                     TerraformSteps.Approval approval) {
        PrintWriter out = console.out();
        String env = session.env().name();
        String to = session.tableName();
        out.println(console.style().warn("    " + env + " moves to another table: " + from.name() + " -> " + to));
        if (old.isPresent()) {
            DeployedTable t = old.get();
            Integer ttl = t.tags().ttlDays();
            out.println("      " + from.name() + " (" + t.tags().format().label() + ", about "
                    + t.description().itemCount() + " items, " + t.description().tableSizeBytes() + " bytes) stays: it "
                    + "leaves Terraform's state and is never deleted" + (Boolean.TRUE.equals(t.description()
                    .deletionProtectionEnabled()) ? " (its deletion protection stays on)" : "") + "; its entries "
                    + "expire by their TTL" + (ttl == null ? "" : " (" + ttl + " days after each entry's time)")
                    + ". Read it with: pglogs query --env " + env + " --table " + from.name());
        } else {
            out.println("      " + from.name() + " no longer exists in AWS: it only leaves Terraform's state");
        }
        out.println("      " + to + " (" + format.label() + ") is made by the plan below; the collectors then write to "
                + "it");
        if (planOnly) {
            out.println(console.style().warn("      --dry-run: nothing was forgotten, so no plan can be made yet; start "
                    + "without --dry-run to see the plans and confirm"));
            return false;
        }
        if (!approval.approve("Move " + env + " to " + to + ", keeping " + from.name() + "?")) {
            throw new PreconditionException("not confirmed: " + env + " still writes to " + from.name()
                    + "; nothing was changed");
        }
        steps.forget(root, from.address());
        old.ifPresent(t -> {
            try {
                t.markReplacedBy(session.aws().dynamoDb(), to);
            } catch (SdkException e) {
                // The move is made; the tag only guards against settings older than it.
                console.err().println(console.style().warn("pglogs: warning: could not tag " + from.name() + " "
                        + TableTags.REPLACED_BY + "=" + to + " (" + e.getMessage() + "): a start whose settings still "
                        + "name it would move " + env + " back"));
            }
        });
        return true;
    }
}
