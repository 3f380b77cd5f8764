package io.pglogs.terraform;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The table keeps the item contract (docs/schema.md) and prod's data is protected three ways. */
@Tag("integration")
class PersistentDataTest {
    private static JsonNode module;

    @BeforeAll
    static void load() throws Exception {
        module = Hcl.load("persistent_data/dynamo_db_tables");
    }

    @Test
    void tableFollowsTheItemContract() {
        JsonNode locals = Hcl.block(module, "locals");
        assertEquals("pk", locals.path("hash_key").asText());
        assertEquals("sk", locals.path("range_key").asText());
        assertEquals("expires_at", locals.path("ttl_attribute").asText());
        for (String variant : new String[] {"this", "protected"}) {
            JsonNode table = Hcl.block(module, "resource", "aws_dynamodb_table", variant);
            assertEquals("${local.hash_key}", table.path("hash_key").asText());
            assertEquals("${local.range_key}", table.path("range_key").asText());
            assertEquals(2, table.path("attribute").size());
            table.path("attribute").forEach(a -> assertEquals("S", a.path("type").asText()));
            JsonNode ttl = Hcl.block(table, "ttl");
            assertEquals("${local.ttl_attribute}", ttl.path("attribute_name").asText());
            assertTrue(ttl.path("enabled").asBoolean());
            assertTrue(table.path("stream_enabled").asBoolean(), "tail -f reads the stream");
            assertEquals("NEW_IMAGE", table.path("stream_view_type").asText());
            JsonNode sse = Hcl.block(table, "server_side_encryption");
            assertTrue(sse.path("enabled").asBoolean());
            assertEquals("${var.kms_key_arn}", sse.path("kms_key_arn").asText());
            assertEquals("${var.point_in_time_recovery}", Hcl.block(table, "point_in_time_recovery")
                    .path("enabled").asText());
            assertEquals("${var.deletion_protection}", table.path("deletion_protection_enabled").asText());
        }
        String tags = locals.path("tags").asText();
        assertTrue(tags.matches("(?s).*\"pglogs:shards\"\\s*=\\s*tostring\\(var\\.shards\\).*"), tags);
        assertTrue(tags.matches("(?s).*\"pglogs:ttl_days\"\\s*=\\s*tostring\\(var\\.ttl_days\\).*"), tags);
        assertTrue(tags.matches("(?s).*\"pglogs:redact\"\\s*=\\s*local\\.redact_tag.*"), tags);
        assertTrue(tags.matches("(?s).*\"pglogs:format\"\\s*=\\s*var\\.storage_format.*"), tags);
        assertTrue(tags.matches("(?s).*\"pglogs:summaries\"\\s*=\\s*tostring\\(local\\.summaries\\).*"), tags);
        assertEquals("entries", Hcl.block(module, "variable", "storage_format").path("default").asText());
        assertEquals(90, Hcl.block(module, "variable", "ttl_days").path("default").asInt());
        JsonNode redact = Hcl.block(module, "variable", "redact");
        assertEquals("passwords", redact.path("default").asText());
        assertEquals("${string}", redact.path("type").asText());
        assertTrue(redact.path("validation").toString().contains("literals"), redact.toString());
        // The tag keeps true/false for the levels that existed before literals, for writers of earlier releases.
        assertTrue(locals.path("redact_tag").asText().contains("passwords = \"true\""), locals.toString());
        assertEquals("PAY_PER_REQUEST", Hcl.block(module, "variable", "billing_mode").path("default").asText());
        assertEquals(4, Hcl.block(module, "variable", "shards").path("default").asInt());
    }

    /**
     * Summaries are a switch with auto as its default: on for entries, off for compact (where, with ordinary payloads,
     * they cost as many write units as the entries); published as true or false, which the forwarder reads.
     */
    @Test
    void summariesAreAutoOnForEntriesAndOffForCompact() throws Exception {
        JsonNode summaries = Hcl.block(module, "variable", "summaries");
        assertEquals("auto", summaries.path("default").asText());
        assertEquals("${string}", summaries.path("type").asText());
        String validation = summaries.path("validation").toString();
        for (String v : new String[] {"auto", "on", "off"}) {
            assertTrue(validation.contains("\\\"" + v + "\\\""), validation);
        }
        assertTrue(summaries.path("description").asText().contains("compact"), summaries.toString());
        assertEquals("${lower(var.summaries) == \"auto\" ? var.storage_format == \"entries\" : lower(var.summaries) "
                + "== \"on\"}", Hcl.block(module, "locals").path("summaries").asText());
        assertEquals("${local.summaries}", Hcl.block(module, "output", "summaries").path("value").asText());
        for (String root : new String[] {"persistent_data/manage_devel", "persistent_data/manage_prod"}) {
            JsonNode tf = Hcl.load(root);
            assertEquals("${var.summaries}", Hcl.block(tf, "module", "table").path("summaries").asText(), root);
            JsonNode variable = Hcl.block(tf, "variable", "summaries");
            assertEquals("auto", variable.path("default").asText(), root);
            assertEquals(validation, variable.path("validation").toString(), root + " validates as the module does");
        }
    }

    @Test
    void theProtectedVariantIsTheSameTableWithPreventDestroy() {
        ObjectNode plain = Hcl.block(module, "resource", "aws_dynamodb_table", "this").deepCopy();
        ObjectNode guarded = Hcl.block(module, "resource", "aws_dynamodb_table", "protected").deepCopy();
        assertTrue(Hcl.block(guarded, "lifecycle").path("prevent_destroy").asBoolean());
        assertEquals("${var.prevent_destroy ? 0 : 1}", plain.path("count").asText());
        assertEquals("${var.prevent_destroy ? 1 : 0}", guarded.path("count").asText());
        for (ObjectNode n : new ObjectNode[] {plain, guarded}) {
            n.remove("count");
            n.remove("lifecycle");
        }
        assertEquals(plain, guarded, "the two table variants have drifted apart");
    }

    @Test
    void prodIsProtectedAndDevelIsCheap() throws Exception {
        JsonNode prod = Hcl.block(Hcl.load("persistent_data/manage_prod"), "module", "table");
        assertTrue(prod.path("point_in_time_recovery").asBoolean());
        assertTrue(prod.path("deletion_protection").asBoolean());
        assertTrue(prod.path("prevent_destroy").asBoolean());
        assertEquals("prod", prod.path("environment").asText());
        JsonNode devel = Hcl.block(Hcl.load("persistent_data/manage_devel"), "module", "table");
        assertFalse(devel.path("point_in_time_recovery").asBoolean(true));
        assertFalse(devel.path("deletion_protection").asBoolean(true));
        assertFalse(devel.path("prevent_destroy").asBoolean(true));
    }

    @Test
    void defaultTableNames() throws Exception {
        assertEquals("pglogs-devel", Hcl.block(Hcl.load("persistent_data/manage_devel"), "variable", "table_name")
                .path("default").asText());
        assertEquals("pglogs-prod", Hcl.block(Hcl.load("persistent_data/manage_prod"), "variable", "table_name")
                .path("default").asText());
    }
}
