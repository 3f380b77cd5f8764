package io.pglogs.cli.rds;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.rds.model.Parameter;

/** An RDS instance or an Aurora cluster whose PostgreSQL logging pglogs configures. */
public interface RdsTarget {
    /** "instance" or "cluster". */
    String kind();

    String id();

    String engine();

    /** The parameter group attached now (a cluster parameter group for a cluster). */
    String parameterGroup();

    /** The group's family, e.g. postgres15 or aurora-postgresql15. */
    String family();

    default boolean defaultGroup() {
        return parameterGroup().startsWith("default.");
    }

    /** Whether the postgresql log is exported to CloudWatch Logs. */
    boolean exportsPostgresql();

    /** RDS's word on whether the attached group is in effect, e.g. in-sync or pending-reboot. */
    String applyStatus();

    boolean groupExists(String name);

    /** Parameters set explicitly in a custom group (Source=user), name to value. */
    Map<String, String> userParameters(String group);

    /**
     * The value a group gives a parameter whatever set it (the engine's default, the system, the user), or null when
     * it has none.
     */
    String effectiveValue(String group, String name);

    void createGroup(String name, String description);

    /** Sets parameters, at most 20 per call as the API allows. */
    void setParameters(String group, List<Parameter> parameters);

    /**
     * Attaches {@code group} (null: keep the current one) and turns on the export of the postgresql log if asked.
     * Never with ApplyImmediately: that would also apply every modification pending for the maintenance window (an
     * instance class change, an engine upgrade). Neither change needs it: a group is attached at once and takes
     * effect at the next reboot, the log export is always applied at once.
     */
    void attach(String group, boolean enableExport);

    /** Other instances (or clusters) that have {@code group} attached. */
    List<String> othersUsing(String group);

    /** What to reboot for a new group or static parameters to take effect. */
    String rebootHint();
}
