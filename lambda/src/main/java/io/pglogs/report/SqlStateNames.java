package io.pglogs.report;

import java.util.Map;

/** PostgreSQL's names of the SQLSTATE classes (Appendix A, "PostgreSQL Error Codes", PostgreSQL 15). */
final class SqlStateNames {
    private SqlStateNames() {
    }

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("00", "Successful Completion"), Map.entry("01", "Warning"), Map.entry("02", "No Data"),
            Map.entry("03", "SQL Statement Not Yet Complete"), Map.entry("08", "Connection Exception"),
            Map.entry("09", "Triggered Action Exception"), Map.entry("0A", "Feature Not Supported"),
            Map.entry("0B", "Invalid Transaction Initiation"), Map.entry("0F", "Locator Exception"),
            Map.entry("0L", "Invalid Grantor"), Map.entry("0P", "Invalid Role Specification"),
            Map.entry("0Z", "Diagnostics Exception"), Map.entry("20", "Case Not Found"),
            Map.entry("21", "Cardinality Violation"), Map.entry("22", "Data Exception"),
            Map.entry("23", "Integrity Constraint Violation"), Map.entry("24", "Invalid Cursor State"),
            Map.entry("25", "Invalid Transaction State"), Map.entry("26", "Invalid SQL Statement Name"),
            Map.entry("27", "Triggered Data Change Violation"),
            Map.entry("28", "Invalid Authorization Specification"),
            Map.entry("2B", "Dependent Privilege Descriptors Still Exist"),
            Map.entry("2D", "Invalid Transaction Termination"), Map.entry("2F", "SQL Routine Exception"),
            Map.entry("34", "Invalid Cursor Name"), Map.entry("38", "External Routine Exception"),
            Map.entry("39", "External Routine Invocation Exception"), Map.entry("3B", "Savepoint Exception"),
            Map.entry("3D", "Invalid Catalog Name"), Map.entry("3F", "Invalid Schema Name"),
            Map.entry("40", "Transaction Rollback"), Map.entry("42", "Syntax Error or Access Rule Violation"),
            Map.entry("44", "WITH CHECK OPTION Violation"), Map.entry("53", "Insufficient Resources"),
            Map.entry("54", "Program Limit Exceeded"), Map.entry("55", "Object Not In Prerequisite State"),
            Map.entry("57", "Operator Intervention"), Map.entry("58", "System Error"),
            Map.entry("72", "Snapshot Failure"), Map.entry("F0", "Configuration File Error"),
            Map.entry("HV", "Foreign Data Wrapper Error"), Map.entry("P0", "PL/pgSQL Error"),
            Map.entry("XX", "Internal Error"));

    static String of(String sqlstateClass) {
        return NAMES.getOrDefault(sqlstateClass, "");
    }
}
