package io.pglogs.cli.rds;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code rds configure} will do to reach the wanted parameters, decided before anything is changed:
 * a default group cannot be modified, so a custom one is created (or reused) and attached; a custom group already
 * attached is modified in place.
 *
 * @param createGroup a custom group to create, or null
 * @param group       the group whose parameters are set
 * @param attach      whether {@code group} must be attached (it is not yet)
 * @param changes     parameters whose value changes, in the order shown
 * @param enableExport whether the postgresql log export must be turned on
 * @param sharedWith  other instances or clusters the modified group is attached to: they change too
 */
public record ConfigurationPlan(String createGroup, String group, boolean attach, List<Change> changes,
                                boolean enableExport, List<String> sharedWith) {

    /** One parameter: {@code before} null means the engine's default. */
    public record Change(String name, String before, String after, String applyMethod) {
    }

    /**
     * The group pglogs creates for a target: one per instance or cluster, so changing one target's logging never
     * changes another's.
     */
    public static String customGroupName(RdsTarget target) {
        return "pglogs-" + target.id() + "-" + target.family().replace('.', '-');
    }

    public static ConfigurationPlan of(RdsTarget target, Map<String, String> wanted) {
        String group;
        String create = null;
        boolean attach = false;
        Map<String, String> current;
        if (target.defaultGroup()) {
            group = customGroupName(target);
            attach = true;
            if (target.groupExists(group)) {
                current = target.userParameters(group);
            } else {
                create = group;
                current = Map.of();
            }
        } else {
            group = target.parameterGroup();
            current = target.userParameters(group);
        }
        List<Change> changes = new ArrayList<>();
        wanted.forEach((name, value) -> {
            String before = current.get(name);
            String after = value;
            if (LoggingParameter.CATALOG.get(name).type() == LoggingParameter.Type.LIST) {
                // Libraries or classes someone else loads stay loaded: the new ones are added to what is in effect.
                String base = before != null ? before : target.effectiveValue(target.parameterGroup(), name);
                after = mergeList(base, value);
                if (before == null && after.equals(normaliseList(base))) {
                    return;
                }
            }
            if (!Objects.equals(before, after)) {
                changes.add(new Change(name, before, after, LoggingParameter.CATALOG.get(name).applyMethod()));
            }
        });
        List<String> sharedWith = attach ? List.of() : target.othersUsing(group);
        return new ConfigurationPlan(create, group, attach, changes, !target.exportsPostgresql(), sharedWith);
    }

    /** The items of {@code current} in their order, then those of {@code added} it lacks; comma-separated. */
    static String mergeList(String current, String added) {
        java.util.LinkedHashSet<String> items = new java.util.LinkedHashSet<>(items(current));
        items.addAll(items(added));
        return String.join(",", items);
    }

    private static String normaliseList(String value) {
        return String.join(",", new java.util.LinkedHashSet<>(items(value)));
    }

    private static List<String> items(String list) {
        if (list == null) {
            return List.of();
        }
        return java.util.Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Whether the plan needs consent: it attaches a group (the instance's settings change at its next reboot) or
     * changes a group other instances share. */
    public boolean needsConsent() {
        return attach || (!sharedWith.isEmpty() && !changes.isEmpty());
    }

    public boolean nothingToDo() {
        return createGroup == null && !attach && changes.isEmpty() && !enableExport;
    }

    /** A new group, or a static parameter, takes effect only after a reboot. */
    public boolean rebootNeeded() {
        return attach || changes.stream().anyMatch(c -> c.applyMethod().equals("pending-reboot"));
    }
}
