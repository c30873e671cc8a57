using Pgrant.Core.Sql;
using System.Text;
using Pgrant.Core.Planning;

namespace Pgrant.Bench;

/// <summary>
/// Writes a <see cref="CatalogPlan"/> as psql scripts: 00-roles.sql, then schema chunks (one
/// transaction per schema, big multi-statement batches; the chunks can run in parallel), then
/// 90-plants.sql. DDL cannot be COPYed, so batching in few round trips is what makes it fast.
/// </summary>
public static class SqlWriter
{
    public static IReadOnlyList<string> Write(CatalogPlan plan, string database, string folder, int chunks)
    {
        Directory.CreateDirectory(folder);
        foreach (var old in Directory.GetFiles(folder, "*.sql")) File.Delete(old);
        var files = new List<string>();
        string Emit(string name, string text)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllText(path, text);
            files.Add(path);
            return path;
        }

        Emit("00-roles.sql", Roles(plan, database));
        chunks = Math.Clamp(chunks, 1, plan.Preset.Schemas);
        for (var c = 0; c < chunks; c++)
        {
            var sb = new StringBuilder();
            sb.AppendLine("\\set ON_ERROR_STOP on");
            for (var s = c; s < plan.Preset.Schemas; s += chunks) Schema(plan, s, sb);
            Emit($"10-schemas-{c:00}.sql", sb.ToString());
        }
        Emit("90-plants.sql", Plants(plan));
        return files;
    }

    private static string Roles(CatalogPlan plan, string database)
    {
        var sb = new StringBuilder();
        sb.AppendLine("\\set ON_ERROR_STOP on").AppendLine("BEGIN;");
        sb.AppendLine($"CREATE ROLE {SqlNames.Ident(CatalogPlan.Owner)} NOLOGIN;");
        sb.AppendLine($"CREATE ROLE {SqlNames.Ident(CatalogPlan.Idle)} NOLOGIN;");
        sb.AppendLine($"GRANT CREATE ON DATABASE {SqlNames.Ident(database)} TO {SqlNames.Ident(CatalogPlan.Owner)};");
        foreach (var g in plan.Groups.Concat(plan.Tags)) sb.AppendLine($"CREATE ROLE {SqlNames.Ident(g)} NOLOGIN;");
        foreach (var l in plan.Logins)
        {
            sb.AppendLine($"CREATE ROLE {SqlNames.Ident(l.Name)} LOGIN{(l.Inherit ? "" : " NOINHERIT")};");
            foreach (var g in l.Groups) sb.AppendLine($"GRANT {SqlNames.Ident(plan.Groups[g])} TO {SqlNames.Ident(l.Name)};");
            foreach (var t in l.Tags) sb.AppendLine($"GRANT {SqlNames.Ident(plan.Tags[t])} TO {SqlNames.Ident(l.Name)};");
        }
        sb.AppendLine("COMMIT;");
        return sb.ToString();
    }

    private static void Schema(CatalogPlan plan, int s, StringBuilder sb)
    {
        var p = plan.Preset;
        var schema = SqlNames.Ident(CatalogPlan.SchemaName(s));
        var writer = SqlNames.Ident(plan.WriterOf(s));
        var reader = SqlNames.Ident(plan.ReaderOf(s));
        sb.AppendLine("BEGIN;");
        sb.AppendLine($"SET LOCAL ROLE {SqlNames.Ident(CatalogPlan.Owner)};");
        sb.AppendLine($"CREATE SCHEMA {schema};");
        for (var t = 0; t < p.TablesPerSchema; t++)
            sb.Append("CREATE TABLE ").Append(schema).Append('.').Append(SqlNames.Ident(CatalogPlan.TableName(t)))
              .AppendLine(" (id serial, a integer, b bigint, c timestamptz DEFAULT now());");
        for (var v = 0; v < p.ViewsPerSchema; v++)
            sb.AppendLine($"CREATE VIEW {schema}.{SqlNames.Ident(CatalogPlan.ViewName(v))} AS SELECT id, a FROM {schema}.{SqlNames.Ident(CatalogPlan.TableName(v % p.TablesPerSchema))};");
        for (var f = 0; f < p.FunctionsPerSchema; f++)
            sb.AppendLine($"CREATE FUNCTION {schema}.{SqlNames.Ident(CatalogPlan.FunctionName(f))}(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT x + {f + 1}';");
        // EXECUTE goes to the writers only, so PUBLIC holds nothing in schemas it cannot use.
        sb.AppendLine($"REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA {schema} FROM PUBLIC;");
        sb.AppendLine($"GRANT USAGE ON SCHEMA {schema} TO {writer}, {reader};");
        sb.AppendLine($"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {writer};");
        sb.AppendLine($"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {reader};");
        sb.AppendLine($"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {writer};");
        sb.AppendLine($"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {schema} TO {writer};");
        sb.AppendLine($"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {writer};");
        sb.AppendLine($"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT ON TABLES TO {reader};");
        sb.AppendLine($"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE ON SEQUENCES TO {writer};");
        sb.AppendLine("COMMIT;");
    }

    private static string Plants(CatalogPlan plan)
    {
        var sb = new StringBuilder();
        sb.AppendLine("\\set ON_ERROR_STOP on").AppendLine("BEGIN;");
        var owner = SqlNames.Ident(CatalogPlan.Owner);
        foreach (var plant in plan.Plants)
        {
            var schemaName = CatalogPlan.SchemaName(plant.Schema);
            var schema = SqlNames.Ident(schemaName);
            sb.AppendLine($"-- {plant.Rule} {plant.Variant} in {schemaName}");
            switch (plant.Rule, plant.Variant)
            {
                case ("PGR001", _):
                    sb.AppendLine($"REVOKE USAGE ON SEQUENCE {SqlNames.Qualified(schemaName, CatalogPlan.SequenceName(plant.Table))} FROM {SqlNames.Ident(plan.WriterOf(plant.Schema))};");
                    break;
                case ("PGR002", _):
                    sb.AppendLine($"CREATE ROLE {SqlNames.Ident(plant.Role!)} LOGIN;");
                    sb.AppendLine($"GRANT EXECUTE ON FUNCTION {SqlNames.Qualified(schemaName, CatalogPlan.FunctionName(0))}(integer) TO {SqlNames.Ident(plant.Role!)};");
                    break;
                case ("PGR004", "grant-without-default-acl"):
                    sb.AppendLine($"CREATE ROLE {SqlNames.Ident(plant.Role!)} LOGIN;");
                    sb.AppendLine($"GRANT USAGE ON SCHEMA {schema} TO {SqlNames.Ident(plant.Role!)};");
                    sb.AppendLine($"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {SqlNames.Ident(plant.Role!)};");
                    break;
                case ("PGR004", _):
                    sb.AppendLine($"ALTER DEFAULT PRIVILEGES FOR ROLE {SqlNames.Ident(CatalogPlan.Idle)} IN SCHEMA {schema} GRANT SELECT ON TABLES TO {SqlNames.Ident(plan.ReaderOf(plant.Schema))};");
                    break;
                case ("PGR014", _):
                    var member = SqlNames.Ident(plant.Role!);
                    var group = SqlNames.Ident(plant.Group!);
                    sb.AppendLine($"CREATE ROLE {group} NOLOGIN;");
                    sb.AppendLine(plant.InheritFalse
                        ? $"CREATE ROLE {member} LOGIN;\nGRANT {group} TO {member} WITH INHERIT FALSE;"
                        : $"CREATE ROLE {member} LOGIN NOINHERIT;\nGRANT {group} TO {member};");
                    // Both hold USAGE, so the one privilege the member cannot reach is SELECT on the table.
                    sb.AppendLine($"GRANT USAGE ON SCHEMA {schema} TO {group}, {member};");
                    sb.AppendLine($"GRANT SELECT ON {SqlNames.Qualified(schemaName, CatalogPlan.TableName(plant.Table))} TO {group};");
                    sb.AppendLine($"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} GRANT SELECT ON TABLES TO {group};");
                    break;
            }
        }
        sb.AppendLine("COMMIT;");
        return sb.ToString();
    }
}
