using System.Text.Json;
using Json.Schema;

namespace Pgrant.Spec.Tests;

/// <summary>The shipped JSON Schema accepts the example specs, rejects bad ones, and agrees with the loader.</summary>
public sealed class SchemaTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "pgrant-spec.schema.json")));

    private static EvaluationResults Evaluate(string yaml)
    {
        var json = YamlJson.Convert(yaml);
        using var document = JsonDocument.Parse(json?.ToJsonString() ?? "null");
        return Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Errors(EvaluationResults results) =>
        string.Join("; ", (results.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));

    public static TheoryData<string> Examples => [.. SpecFiles.All];

    [Theory, MemberData(nameof(Examples))]
    public void Every_example_spec_is_valid_against_the_schema(string file)
    {
        var results = Evaluate(SpecFiles.Read(file));
        Assert.True(results.IsValid, Errors(results));
        SpecLoader.Parse(SpecFiles.Read(file), file);
    }

    [Fact]
    public void The_embedded_schema_is_the_shipped_file()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "pgrant-spec.schema.json")), SpecLoader.JsonSchema());
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", JsonDocument.Parse(SpecLoader.JsonSchema()).RootElement.GetProperty("$schema").GetString());
    }

    [Fact]
    public void A_bad_spec_is_rejected_by_the_schema_too()
    {
        var results = Evaluate("roles:\n  app:\n    logon: true\ngrants:\n  - to: app\n    on: sequences\n    schema: app\n    names: [s]\n    privileges: [DELETE]\n");
        Assert.False(results.IsValid);
    }

    // Samples the schema can decide alone (cross-references such as an unknown profile are the loader's).
    public static TheoryData<string, bool> Samples => new()
    {
        { "", true },
        { "version: 1\n", true },
        { "version: 2\n", false },
        { "version: \"1\"\n", false },
        { "roles:\n  app: ~\n", true },
        { "roles:\n  app:\n    login: true\n    connection_limit: -1\n", true },
        { "roles:\n  app:\n    connection_limit: -2\n", false },
        { "roles:\n  app:\n    login: \"true\"\n", false },
        { "roles:\n  app:\n    comment: 12\n", false },
        { "roles:\n  app:\n    comment: \"12\"\n", true },
        { "roles:\n  app:\n    password: {env: X}\n", true },
        { "roles:\n  app:\n    password: {env: X, value: y}\n", false },
        { "roles:\n  app:\n    password: secret\n", false },
        { "roles:\n  app:\n    config: {work_mem: 64MB, jit: false, statement_timeout: 0}\n", true },
        { "roles:\n  app:\n    config: {work_mem: ~}\n", false },
        { "roles:\n  app:\n    database_config: {shop: {work_mem: 4MB}}\n", true },
        { "roles:\n  app:\n    member_of: []\n", false },
        { "roles: [app]\n", false },
        { "memberships:\n  - {role: g, member: [a, b], admin: true, inherit: false, set: false, grantor: postgres}\n", true },
        { "memberships:\n  - {role: g}\n", false },
        { "memberships:\n  - {role: g, member: a, options: x}\n", false },
        { "databases:\n  shop: {owner: m, grants: [{to: PUBLIC, privileges: [CONNECT, TEMPORARY]}]}\n", true },
        { "databases:\n  shop: {grants: [{to: app, privileges: [USAGE]}]}\n", false },
        { "schemas:\n  app: {grants: [{to: app, privileges: ALL, with_grant_option: true}]}\n", true },
        { "schemas:\n  app: {grants: [{to: app}]}\n", false },
        { "profiles:\n  p: {schema: USAGE, tables: [SELECT, MAINTAIN], sequences: [USAGE], functions: EXECUTE, types: USAGE}\n", true },
        { "profiles:\n  p: {sequences: [DELETE]}\n", false },
        { "profiles:\n  p: {indexes: [SELECT]}\n", false },
        { "profiles:\n  readwrite: {tables: [SELECT]}\n", false },
        { "access:\n  - {to: app, profile: readonly, schemas: \"*\", except: [x], except_objects: [\"tmp_*\"], creators: m, future_objects: false}\n", true },
        { "access:\n  - {to: app, profile: readonly}\n", false },
        { "access:\n  - {to: app, profile: readonly, schemas: [a], future: true}\n", false },
        { "grants:\n  - {to: app, on: tables, schema: s, names: [t], privileges: [SELECT, TRIGGER]}\n", true },
        { "grants:\n  - {to: app, on: tables, schema: s, names: [t], columns: [a], privileges: [SELECT, INSERT]}\n", true },
        { "grants:\n  - {to: app, on: tables, schema: s, names: [t], columns: [a], privileges: [DELETE]}\n", false },
        { "grants:\n  - {to: app, on: sequences, schema: s, names: [t], columns: [a], privileges: [SELECT]}\n", false },
        { "grants:\n  - {to: app, on: sequences, schema: s, names: [t], privileges: [DELETE]}\n", false },
        { "grants:\n  - {to: app, on: functions, schema: s, names: [f], arguments: integer, privileges: EXECUTE}\n", true },
        { "grants:\n  - {to: app, on: types, schema: s, names: [f], arguments: integer, privileges: USAGE}\n", false },
        { "grants:\n  - {to: app, on: languages, names: [plpgsql], privileges: USAGE}\n", true },
        { "grants:\n  - {to: app, on: languages, schema: s, names: [plpgsql], privileges: USAGE}\n", false },
        { "grants:\n  - {to: app, on: large_objects, oids: [16401, 16402], privileges: [SELECT, UPDATE]}\n", true },
        { "grants:\n  - {to: app, on: large_objects, names: [x], oids: 1, privileges: SELECT}\n", false },
        { "grants:\n  - {to: app, on: large_objects, oids: [0], privileges: SELECT}\n", false },
        { "grants:\n  - {to: app, on: tables, schema: s, privileges: SELECT}\n", false },
        { "grants:\n  - {to: app, on: indexes, schema: s, names: [i], privileges: SELECT}\n", false },
        { "grants:\n  - {to: app, on: tables, schema: s, names: [t], privileges: [ALL]}\n", true },
        { "grants:\n  - {to: app, on: tables, schema: s, names: [t], privileges: [ALL, SELECT]}\n", false },
        { "grants:\n  - {to: app, on: tables, schema: s, names: [t], privileges: [select]}\n", false },
        { "grants:\n  - {to: [], on: tables, schema: s, names: [t], privileges: SELECT}\n", false },
        { "default_privileges:\n  - {for_role: m, schema: s, on: tables, to: app, privileges: [SELECT, INSERT]}\n", true },
        { "default_privileges:\n  - {for_role: m, schema: s, on: schemas, to: app, privileges: USAGE}\n", false },
        { "default_privileges:\n  - {for_role: m, on: large_objects, to: app, privileges: [SELECT]}\n", true },
        { "default_privileges:\n  - {for_role: m, on: sequences, to: app, privileges: [EXECUTE]}\n", false },
        { "default_privileges:\n  - {on: tables, to: app, privileges: SELECT}\n", false },
    };

    [Theory, MemberData(nameof(Samples))]
    public void The_loader_accepts_exactly_what_the_schema_accepts(string yaml, bool valid)
    {
        var results = Evaluate(yaml);
        Assert.True(valid == results.IsValid, $"schema: {(results.IsValid ? "valid" : Errors(results))}");
        var loaded = Record.Exception(() => SpecLoader.Parse(yaml, "sample.yaml"));
        Assert.True(valid == loaded is null, $"loader: {loaded?.Message ?? "accepted"}");
    }
}
