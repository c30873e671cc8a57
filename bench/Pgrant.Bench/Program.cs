using System.Text.Json;
using Pgrant.Bench;
using Pgrant.Core.Catalog;
using Pgrant.Postgres.Catalog;

// pgrant-bench: the benchmark's own tool, never shipped with pgrant.
//   catalog-sql SERVER_VERSION_NUM [scoped]   the exact batch CatalogReader sends, as a psql script
//                                             (scoped: names from psql variables relations, functions, types)
//   generate PRESET MAJOR DATABASE FOLDER     SQL files + expected.json (planted findings, probe objects)
//   verify EXPECTED.json CHECK.json           planted gaps found exactly? (exit 1 when not)
//   profile CONNECTION_STRING ROUNDS          in-process time and allocation of read, context and each rule
try
{
    switch (args)
    {
        case ["catalog-sql", var num]:
            Console.Out.Write(CatalogQueries.Script(new PgVersion(int.Parse(num))));
            return 0;
        case ["catalog-sql", var num, "scoped"]:
            Console.Out.Write(CatalogQueries.ScopedScript(new PgVersion(int.Parse(num))));
            return 0;
        case ["generate", var preset, var major, var database, var folder]:
            return Generate(Preset.Parse(preset), int.Parse(major), database, folder);
        case ["verify", var expected, var check]:
            return Verifier.Run(expected, check, Console.Out);
        case ["profile", var connection, var rounds]:
            return await Profiler.RunAsync(connection, int.Parse(rounds), Console.Out);
        default:
            Console.Error.WriteLine("usage: pgrant-bench catalog-sql NUM [scoped] | generate PRESET MAJOR DATABASE FOLDER | verify EXPECTED CHECK");
            return 2;
    }
}
catch (Exception e) when (e is ArgumentException or FormatException or IOException or JsonException or Npgsql.NpgsqlException)
{
    Console.Error.WriteLine($"pgrant-bench: {e.Message}");
    return 2;
}

static int Generate(Preset preset, int major, string database, string folder)
{
    var plan = new CatalogPlan(preset, major);
    var files = SqlWriter.Write(plan, database, folder, chunks: 8);
    var expected = plan.Expected();
    var probe = expected.First(e => e.Rule == "PGR001" && e.Role is not null);
    var plant = plan.Plants.First(p => p.Rule == "PGR001");
    var document = new
    {
        preset = preset.Name,
        seed = preset.Seed,
        schemas = preset.Schemas,
        tables = preset.Tables,
        sequences = preset.Tables,
        views = preset.Schemas * preset.ViewsPerSchema,
        functions = preset.Schemas * preset.FunctionsPerSchema,
        roles = 2 + plan.Groups.Length + plan.Tags.Length + plan.Logins.Length + plan.Plants.Count(p => p.Role is not null) + plan.Plants.Count(p => p.Group is not null),
        counts = Verifier.PlantedRules.ToDictionary(r => r, r => expected.Count(e => e.Rule == r)),
        probe = new
        {
            table = $"{CatalogPlan.SchemaName(plant.Schema)}.{CatalogPlan.TableName(plant.Table)}",
            sequence = probe.Object,
            role = probe.Role,
        },
        expected,
    };
    File.WriteAllText(Path.Combine(folder, "expected.json"), JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"generated {preset.Name}: {files.Count} SQL files, {document.roles} roles, {preset.Tables} tables; planted {string.Join(", ", document.counts.Select(kv => $"{kv.Key} {kv.Value}"))}");
    return 0;
}
