using System.Collections.Immutable;

namespace Pgrant.Bench;

/// <summary>A login role of the background: INHERIT members of 1–3 groups, or NOINHERIT members of a tag group.</summary>
public sealed record LoginRole(string Name, bool Inherit, ImmutableArray<int> Groups, ImmutableArray<int> Tags);

/// <summary>A gap planted on purpose: the rule that must report it, where, and for whom.</summary>
public sealed record Plant(string Rule, string Variant, int Schema, int Table, string? Role, string? Group, bool InheritFalse);

/// <summary>One finding the audit must report for a plant (Role null: the rule may name either role involved).</summary>
public sealed record ExpectedFinding(string Rule, string? Schema, string Object, string? Role);

/// <summary>
/// The whole benchmark catalog as a deterministic model (same preset and seed, same catalog), from
/// which both the SQL and the expected findings are derived. The background is built to be clean for
/// PGR001, PGR002, PGR004 and PGR014: every schema has a writer group (DML on tables, USAGE on
/// sequences, EXECUTE on functions) and a reader group (SELECT), both with USAGE on the schema and
/// default ACLs from the one creator (bench_owner); NOINHERIT logins are members only of tag groups
/// that hold nothing. Each plant then breaks exactly one thing, in a schema of its own.
/// </summary>
public sealed class CatalogPlan
{
    public const string Owner = "bench_owner";
    /// <summary>A role that creates nothing: the target of PGR004's "default ACL for a creator that creates nothing there".</summary>
    public const string Idle = "bench_idle";

    public Preset Preset { get; }
    public int Major { get; }
    public ImmutableArray<string> Groups { get; }
    public ImmutableArray<string> Tags { get; }
    public ImmutableArray<LoginRole> Logins { get; }
    public ImmutableArray<Plant> Plants { get; }

    public CatalogPlan(Preset preset, int major)
    {
        Preset = preset;
        Major = major;
        var p = preset.PlantsPerRule;
        var groupCount = Math.Max(4, preset.Roles / 5 / 2 * 2);
        const int tagCount = 2;
        var plantRoles = p + (p + 1) / 2 + 2 * p; // PGR002 logins, PGR004 direct grantees, PGR014 member + group
        var loginCount = preset.Roles - 2 - groupCount - tagCount - plantRoles;
        if (loginCount < 4) throw new ArgumentException($"preset {preset.Name}: too few roles for {p} plants per rule");
        if (4 * p > preset.Schemas) throw new ArgumentException($"preset {preset.Name}: too few schemas for {p} plants per rule");

        Groups = [.. Enumerable.Range(1, groupCount).Select(i => $"bench_g{i:000}")];
        Tags = [.. Enumerable.Range(1, tagCount).Select(i => $"bench_tag{i}")];

        var random = new Random(preset.Seed);
        var logins = ImmutableArray.CreateBuilder<LoginRole>(loginCount);
        for (var i = 0; i < loginCount; i++)
        {
            var name = $"bench_u{i + 1:0000}";
            if (i % 20 == 7) { logins.Add(new LoginRole(name, false, [], [i % tagCount])); continue; }
            var picks = new SortedSet<int>();
            var want = 1 + random.Next(3);
            while (picks.Count < want) picks.Add(random.Next(groupCount));
            logins.Add(new LoginRole(name, true, [.. picks], []));
        }
        Logins = logins.MoveToImmutable();

        // Distinct schemas for every plant; tables past the ones views are built on.
        var schemas = Enumerable.Range(0, preset.Schemas).OrderBy(_ => random.Next()).ToArray();
        var next = 0;
        int Table() => preset.ViewsPerSchema + random.Next(preset.TablesPerSchema - preset.ViewsPerSchema);
        var plants = ImmutableArray.CreateBuilder<Plant>();
        for (var k = 1; k <= p; k++) plants.Add(new Plant("PGR001", "sequence-usage-revoked", schemas[next++], Table(), null, null, false));
        for (var k = 1; k <= p; k++) plants.Add(new Plant("PGR002", "execute-without-schema-usage", schemas[next++], 0, $"bench_p002_{k}", null, false));
        for (var k = 1; k <= p; k++)
        {
            var direct = k <= (p + 1) / 2;
            plants.Add(new Plant("PGR004", direct ? "grant-without-default-acl" : "default-acl-of-idle-creator", schemas[next++], 0,
                direct ? $"bench_p004_{k}" : null, null, false));
        }
        for (var k = 1; k <= p; k++)
            plants.Add(new Plant("PGR014", "uninheritable-group-grant", schemas[next++], Table(), $"bench_p014_{k}", $"bench_p014g_{k}",
                InheritFalse: major >= 16 && k % 2 == 0));
        Plants = plants.ToImmutable();
    }

    public static string SchemaName(int s) => $"s{s + 1:0000}";
    public static string TableName(int t) => $"t{t + 1:0000}";
    public static string SequenceName(int t) => $"{TableName(t)}_id_seq";
    public static string ViewName(int v) => $"v{v + 1}";
    public static string FunctionName(int f) => $"f{f + 1}";
    public string WriterOf(int s) => Groups[2 * s % Groups.Length];
    public string ReaderOf(int s) => Groups[(2 * s + 1) % Groups.Length];

    /// <summary>Logins that inherit the privileges of <paramref name="group"/> (memberships are one level deep).</summary>
    public IEnumerable<string> InheritingMembers(string group) =>
        Logins.Where(l => l.Inherit && l.Groups.Any(g => Groups[g] == group)).Select(l => l.Name);

    /// <summary>
    /// The findings the plants must produce. The unit of a finding follows the rules' own definitions:
    /// PGR001 one per (sequence, login role that may INSERT but not nextval); PGR002 one per (role,
    /// schema), located on the schema (docs/rules/PGR002.md); PGR004 one per (grantee or creator,
    /// schema); PGR014 one per (member, group), located on the group — a role, in no schema
    /// (docs/rules/PGR014.md) — each plant group holds one privilege the member lacks otherwise.
    /// </summary>
    public ImmutableArray<ExpectedFinding> Expected()
    {
        var list = ImmutableArray.CreateBuilder<ExpectedFinding>();
        foreach (var plant in Plants)
        {
            var schema = SchemaName(plant.Schema);
            switch (plant.Rule)
            {
                case "PGR001":
                    foreach (var role in InheritingMembers(WriterOf(plant.Schema)))
                        list.Add(new ExpectedFinding(plant.Rule, schema, $"{schema}.{SequenceName(plant.Table)}", role));
                    break;
                case "PGR002":
                    list.Add(new ExpectedFinding(plant.Rule, schema, schema, plant.Role));
                    break;
                case "PGR004":
                    list.Add(new ExpectedFinding(plant.Rule, schema, schema, plant.Role));
                    break;
                case "PGR014":
                    list.Add(new ExpectedFinding(plant.Rule, null, plant.Group!, plant.Role));
                    break;
            }
        }
        return list.ToImmutable();
    }
}
