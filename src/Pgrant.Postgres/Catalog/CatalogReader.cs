using System.Collections.Immutable;
using Npgsql;
using Pgrant.Core;
using Pgrant.Core.Catalog;

namespace Pgrant.Postgres.Catalog;

/// <summary>
/// Reads a <see cref="CatalogSnapshot"/> of the connected database and its cluster in one round trip:
/// one batch of BEGIN (REPEATABLE READ, READ ONLY), the queries of <see cref="CatalogQueries"/>, and
/// COMMIT, so every result set sees the same catalog state. Needs no privilege beyond what every
/// role has; what it could not read is listed in <see cref="CatalogSnapshot.Unreadable"/>.
/// </summary>
public static class CatalogReader
{
    /// <summary>
    /// Reads the whole snapshot. <paramref name="openConnection"/> must be open and not inside a
    /// transaction (the batch opens and commits its own).
    /// </summary>
    public static Task<CatalogSnapshot> ReadAsync(NpgsqlConnection openConnection, CancellationToken ct = default) =>
        ReadAsync(openConnection, null, ct);

    /// <summary>
    /// Reads the snapshot of <paramref name="scope"/> (null: the whole catalog) in the same one round trip:
    /// the relation, routine and type queries are filtered by the scope's names, passed as parameters. The
    /// snapshot records the scope (<see cref="CatalogSnapshot.Scope"/>).
    /// </summary>
    public static async Task<CatalogSnapshot> ReadAsync(NpgsqlConnection openConnection, CatalogScope? scope, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(openConnection);
        // This connection's own startup report picks the SQL, without a round trip; server_version_num
        // read inside the batch is what the snapshot records.
        var sqlVersion = await ServerVersion.OfAsync(openConnection, ct).ConfigureAwait(false);
        if (sqlVersion.Major < 13)
            throw new PgrantException(
                $"PostgreSQL {sqlVersion.Major} is not supported",
                "pgrant reads PostgreSQL 13 and later",
                ExitCodes.UsageOrConnection);

        await using var batch = new NpgsqlBatch(openConnection);
        foreach (var sql in CatalogQueries.Statements(sqlVersion, scope is not null))
        {
            var command = new NpgsqlBatchCommand(sql);
            if (scope is not null)
            {
                AddNames(command, CatalogQueries.RelationsParameter, scope.Relations);
                AddNames(command, CatalogQueries.FunctionsParameter, scope.Functions);
                AddNames(command, CatalogQueries.TypesParameter, scope.Types);
            }
            batch.BatchCommands.Add(command);
        }

        try
        {
            await using var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var snapshot = await ReadResultSetsAsync(reader, scope, ct).ConfigureAwait(false);
            // The trailing COMMIT completes when the reader is consumed to its end.
            while (await reader.NextResultAsync(ct).ConfigureAwait(false)) { }
            return snapshot;
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or PgrantException)
        {
            await RollBackQuietlyAsync(openConnection).ConfigureAwait(false);
            if (e is PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } denied)
                throw new PgrantException(
                    $"cannot read the catalog: {denied.MessageText}",
                    "pgrant reads pg_catalog tables every role can normally read; ask an administrator whether access to them was revoked",
                    ExitCodes.UsageOrConnection,
                    e);
            throw;
        }
    }

    // Only the statements that name a parameter get it (the server rejects parameters it was not asked for).
    private static void AddNames(NpgsqlBatchCommand command, string prefix, ImmutableArray<ScopeName> names)
    {
        if (!command.CommandText.Contains("@" + prefix + "_names", StringComparison.Ordinal)) return;
        const NpgsqlTypes.NpgsqlDbType textArray = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text;
        command.Parameters.Add(new NpgsqlParameter<string?[]>(prefix + "_schemas", textArray) { TypedValue = [.. names.Select(n => n.Schema)] });
        command.Parameters.Add(new NpgsqlParameter<string[]>(prefix + "_names", textArray) { TypedValue = [.. names.Select(n => n.Name)] });
    }

    private static async Task<CatalogSnapshot> ReadResultSetsAsync(NpgsqlDataReader r, CatalogScope? scope, CancellationToken ct)
    {
        // Result set 1: header. Npgsql exposes only statements that return rows, so BEGIN/SET/COMMIT are skipped.
        if (!await r.ReadAsync(ct).ConfigureAwait(false))
            throw new InvalidOperationException("the catalog header query returned no row");
        var version = new PgVersion(r.GetFieldValue<int>(0));
        var database = r.GetFieldValue<string>(1);
        var user = r.GetFieldValue<string>(2);
        var searchPath = r.GetFieldValue<string>(3);
        var lockBudget = r.GetFieldValue<int>(4) / 2;
        // A scoped read first stores its relation OIDs (one row, nothing to keep).
        if (scope is not null) await NextAsync(r, "scope", ct).ConfigureAwait(false);

        var names = new NamePool();
        await NextAsync(r, "roles", ct).ConfigureAwait(false);
        var roles = await CatalogRowMapper.ReadRolesAsync(r, names, ct).ConfigureAwait(false);
        var roleOids = new Dictionary<string, uint>(roles.Length, StringComparer.Ordinal);
        foreach (var role in roles) roleOids[role.Name] = role.Oid;
        var acls = new AclResolver(roleOids, version.Major);

        await NextAsync(r, "memberships", ct).ConfigureAwait(false);
        var memberships = await CatalogRowMapper.ReadMembershipsAsync(r, ct).ConfigureAwait(false);
        await NextAsync(r, "databases", ct).ConfigureAwait(false);
        var databases = await CatalogRowMapper.ReadDatabasesAsync(r, acls, ct).ConfigureAwait(false);
        await NextAsync(r, "schemas", ct).ConfigureAwait(false);
        var schemas = await CatalogRowMapper.ReadSchemasAsync(r, names, acls, ct).ConfigureAwait(false);

        var assembler = new RelationAssembler(names, acls);
        await NextAsync(r, "relations", ct).ConfigureAwait(false);
        await assembler.ReadRelationsAsync(r, ct).ConfigureAwait(false);
        await NextAsync(r, "columns", ct).ConfigureAwait(false);
        await assembler.ReadColumnsAsync(r, ct).ConfigureAwait(false);
        await NextAsync(r, "sequences", ct).ConfigureAwait(false);
        await assembler.ReadSequencesAsync(r, ct).ConfigureAwait(false);
        await NextAsync(r, "sequence_defaults", ct).ConfigureAwait(false);
        await assembler.ReadSequenceDefaultsAsync(r, ct).ConfigureAwait(false);
        await NextAsync(r, "view_references", ct).ConfigureAwait(false);
        await assembler.ReadViewReferencesAsync(r, ct).ConfigureAwait(false);
        await NextAsync(r, "policies", ct).ConfigureAwait(false);
        await assembler.ReadPoliciesAsync(r, ct).ConfigureAwait(false);

        await NextAsync(r, "functions", ct).ConfigureAwait(false);
        var functions = await CatalogRowMapper.ReadFunctionsAsync(r, names, acls, ct).ConfigureAwait(false);
        await NextAsync(r, "types", ct).ConfigureAwait(false);
        var types = await CatalogRowMapper.ReadTypesAsync(r, acls, ct).ConfigureAwait(false);
        await NextAsync(r, "languages", ct).ConfigureAwait(false);
        var languages = await CatalogRowMapper.ReadLanguagesAsync(r, names, acls, ct).ConfigureAwait(false);
        await NextAsync(r, "default_acls", ct).ConfigureAwait(false);
        var defaultAcls = await CatalogRowMapper.ReadDefaultAclsAsync(r, acls, ct).ConfigureAwait(false);

        var schemaNames = schemas.ToDictionary(s => s.Oid, s => s.Name);
        var unreadable = assembler
            .UnreadableSequenceValues(oid => schemaNames.GetValueOrDefault(oid) ?? oid.ToString(System.Globalization.CultureInfo.InvariantCulture), lockBudget)
            .ToImmutableArray();

        return new CatalogSnapshot(
            version, database, user, searchPath,
            roles, memberships, databases, schemas,
            assembler.BuildRelations(), assembler.BuildSequences(),
            functions, types, languages, defaultAcls, unreadable, scope);
    }

    private static async Task NextAsync(NpgsqlDataReader r, string expected, CancellationToken ct)
    {
        if (!await r.NextResultAsync(ct).ConfigureAwait(false))
            throw new InvalidOperationException($"the catalog batch ended before the '{expected}' result set");
    }

    private static async Task RollBackQuietlyAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != System.Data.ConnectionState.Open) return;
        try
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The original failure is what the caller needs to see; a broken connection cannot roll back anyway.
        }
    }
}
