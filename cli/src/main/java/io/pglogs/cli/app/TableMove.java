package io.pglogs.cli.app;

import io.pglogs.cli.config.Setting;
import io.pglogs.cli.error.PreconditionException;
import io.pglogs.cli.table.DeployedTable;
import io.pglogs.cli.table.TableTags;
import io.pglogs.cli.terraform.TerraformSteps;
import io.pglogs.cli.term.Prompt;
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
    private boolean forgotten;

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
        refuse(session, session.table());
    }

    /** As {@link #refuseAReplacedTable(Session)}, the table's tags read again now. */
    static void refuseAReplacedTable(String name, Session session) {
        refuse(session, DeployedTable.read(session.aws().dynamoDb(), name));
    }

    private static void refuse(Session session, Optional<DeployedTable> table) {
        table.map(t -> t.tags().replacedBy()).ifPresent(by -> {
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
     * Prints the move, refuses or asks, then takes the old table out of the state. With planOnly only prints: the
     * plans can be made only once the old table is out of the state. The old table is tagged only once the plan that
     * makes the new one is applied ({@link #markOld()}).
     *
     * @param from the table --move-table-from named, approving the move without a terminal (null: asked)
     * @return false when planOnly: nothing was planned
     */
    boolean carryOut(TerraformSteps steps, Path root, StorageFormat format, boolean planOnly, Prompt prompt,
                     String named) {
        PrintWriter out = console.out();
        String env = session.env().name();
        String to = session.tableName();
        String key = Setting.TABLE.key(session.env());
        if ("default".equals(session.setting(Setting.TABLE).source())) {
            // Settings that leave the table out (a CI runner's, a colleague's) are far likelier than a move to the
            // default name on purpose: a move is never made on a default.
            throw new PreconditionException(env + "'s Terraform state manages the table " + from.name() + ", but "
                    + key + " is not set (its default is " + to + "): set " + key + " = " + from.name()
                    + " (a start never moves " + env + " to the default table name; to move, set " + key + " to the "
                    + "new table's name); nothing was changed");
        }
        if (named != null && !named.equals(from.name())) {
            throw new PreconditionException("--move-table-from " + named + " does not name the table " + env
                    + "'s Terraform state manages, " + from.name() + "; nothing was changed");
        }
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
        approve(prompt, named);
        if (!steps.forget(root, from.address())) {
            throw new PreconditionException("already moved: " + from.address() + " (" + from.name() + ") left "
                    + root.getParent().getFileName() + "/" + root.getFileName() + "'s state while this start ran "
                    + "(another run, a colleague's or a CI runner's, moved " + env + " first); run 'pglogs start "
                    + env + "' again to see where it stands; this run changed nothing");
        }
        forgotten = true;
        return true;
    }

    /**
     * --yes is not enough: the move leaves the table every reader uses. Either the table is named (as --allow-removals
     * names removals) or a person types yes; prod also needs its name typed, as {@code stop --include-data} does.
     */
    private void approve(Prompt prompt, String named) {
        String env = session.env().name();
        String to = session.tableName();
        if (named == null && !prompt.typed("Move " + env + " to " + to + ", keeping " + from.name() + "? Type 'yes' "
                + "to go ahead: ", "yes", "moving " + env + " from " + from.name() + " to " + to + " needs a "
                + "confirmation: run at a terminal, or pass --move-table-from " + from.name() + " (--yes is not "
                + "enough); nothing was changed")) {
            throw new PreconditionException("not confirmed: " + env + " still writes to " + from.name()
                    + "; nothing was changed");
        }
        if (session.env().isProd() && !prompt.typed("Type the environment name (prod) to move it to " + to + ": ",
                "prod", "refusing to move prod to another table without a typed confirmation: run 'pglogs start prod' "
                        + "at a terminal; nothing was changed")) {
            throw new PreconditionException("not confirmed: prod still writes to " + from.name()
                    + "; nothing was changed");
        }
    }

    /** True once the old table left the state: a failure from then on has changed something. */
    boolean forgotten() {
        return forgotten;
    }

    /** What a failure, a refusal or an interrupt after the old table left the state leaves, and how to go on. */
    String halfDone(Path root) {
        String env = session.env().name();
        String key = Setting.TABLE.key(session.env());
        return "the move of " + env + " is half done: " + from.name() + " left " + root.getParent().getFileName() + "/"
                + root.getFileName() + "'s state (it is still in AWS, untouched, and the collectors still write to "
                + "it), and " + session.tableName() + " was not made. To finish the move: pglogs start " + env
                + ". To undo it: set " + key + " = " + from.name() + " and run 'pglogs start " + env + "', which "
                + "adopts " + from.name() + " back into the state";
    }

    /** Once the new table is made: the old one is tagged, so settings older than the move are refused. */
    void markOld() {
        String env = session.env().name();
        String to = session.tableName();
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
    }

    /** The table the environment moves away from. */
    String from() {
        return from.name();
    }
}
