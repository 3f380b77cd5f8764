package io.pglogs.cli.app;

import io.pglogs.cli.config.SummariesSetting;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.parse.Redaction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The variables of the two roots, typed: what start and stop give Terraform, written to a -var-file. */
final class TerraformVariables {
    private TerraformVariables() {
    }

    /**
     * @param storage   the table's storage format; null leaves the root's default (a destroy needs none)
     * @param redaction the table's redaction level; null leaves the root's default
     * @param summaries whether its writers store summary items; null leaves the root's default (auto)
     * @param allowedAccountIds null: any account
     */
    record PersistentData(String region, String tableName, List<String> allowedAccountIds, StorageFormat storage,
                          Redaction redaction, SummariesSetting.Choice summaries) {
        Map<String, Object> tfvars() {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("region", region);
            v.put("table_name", tableName);
            v.put("allowed_account_ids", allowedAccountIds);
            if (storage != null) {
                v.put("storage_format", storage.label());
            }
            if (redaction != null) {
                v.put("redact", redaction.label());
            }
            if (summaries != null) {
                v.put("summaries", summaries.label());
            }
            return v;
        }
    }

    record Collectors(String region, List<String> allowedAccountIds, String tableName, String functionName,
                      String lambdaJarPath, List<String> rdsInstanceIds, List<String> auroraClusterIds,
                      String logTimezone) {
        Map<String, Object> tfvars() {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("region", region);
            v.put("allowed_account_ids", allowedAccountIds);
            v.put("table_name", tableName);
            v.put("function_name", functionName);
            v.put("lambda_jar_path", lambdaJarPath);
            v.put("rds_instance_ids", rdsInstanceIds);
            v.put("aurora_cluster_ids", auroraClusterIds);
            v.put("log_timezone", logTimezone);
            return v;
        }
    }
}
