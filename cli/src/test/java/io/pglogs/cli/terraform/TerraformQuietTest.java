package io.pglogs.cli.terraform;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class TerraformQuietTest {
    @Test
    void quietKeepsThePlanSummaryAndTheResult() {
        String plan = """
                terraform_data.table: Refreshing state... [id=1]

                OpenTofu will perform the following actions:

                  # terraform_data.check will be created
                  + resource "terraform_data" "check" {
                      + id = (known after apply)
                    }

                Plan: 1 to add, 0 to change, 0 to destroy.
                """;
        assertEquals("Plan: 1 to add, 0 to change, 0 to destroy.\n", TerraformRunner.summary(plan));
        assertEquals("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.\n", TerraformRunner.summary(
                "terraform_data.check: Creating...\nterraform_data.check: Creation complete after 0s [id=2]\n\n"
                        + "Apply complete! Resources: 1 added, 0 changed, 0 destroyed.\n"));
        assertEquals("No changes. Your infrastructure matches the configuration.\n", TerraformRunner.summary(
                "\nNo changes. Your infrastructure matches the configuration.\n\nOpenTofu has compared ...\n"));
    }
}
