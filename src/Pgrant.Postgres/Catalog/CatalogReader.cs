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
                "pgrant reads PostgreSQL 13 and later");

        await using var batch = new NpgsqlBatch(openConnection);
        foreach (var sql in CatalogQueries.Statements(sqlVersion, scope is not null))
        {
            var command = new NpgsqlBatchCommand(sql);
            if (scope is not null)
            {
                AddNames(command, CatalogQueries.RelationsParameter, scope.Relations);
                AddNames(command, CatalogQueries.FunctionsParameter, scope.Functions);
                AddNames(command, CatalogQueries.TypesParameter, scope.Types);
                if (command.CommandText.Contains("@" + CatalogQueries.LargeObjectsParameter, StringComparison.Ordinal))
                    command.Parameters.Add(new NpgsqlParameter<uint[]>(CatalogQueries.LargeObjectsParameter, NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Oid)
                    {
                        TypedValue = [.. scope.LargeObjects],
                    });
            }
            batch.BatchCommands.Add(command);
        }

        // Rows are read synchronously: at 100,000 tables the batch returns ~700,000 rows, and an awaited
        // ReadAsync per row (a cancellation registration and a state machine each, the continuation handed
        // to the thread pool whenever the socket is drained) cost more client CPU than the mapping itself,
        // on the cores the server needs. Cancellation (Ctrl+C) asks the server to cancel the batch instead.
        try
        {
            ct.ThrowIfCancellationRequested();
            using var cancel = new BatchCanceller(batch, openConnection, ct);
            using var reader = batch.ExecuteReader();
            var snapshot = ReadResultSets(reader, scope);
            // The trailing COMMIT completes when the reader is consumed to its end.
            while (reader.NextResult()) { }
            return snapshot;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.QueryCanceled && ct.IsCancellationRequested)
        {
            await RollBackQuietlyAsync(openConnection).ConfigureAwait(false);
            throw new OperationCanceledException("the catalog read was cancelled", e, ct);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or PgrantException)
        {
            await RollBackQuietlyAsync(openConnection).ConfigureAwait(false);
            if (e is PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } denied)
                throw new PgrantException(
                    $"cannot read the catalog: {denied.MessageText}",
                    "pgrant reads pg_catalog tables every role can normally read; ask an administrator whether access to them was revoked",
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

    private static CatalogSnapshot ReadResultSets(NpgsqlDataReader r, CatalogScope? scope)
    {
        // Result set 1: header. Npgsql exposes only statements that return rows, so BEGIN/SET/COMMIT are skipped.
        if (!r.Read())
            throw new InvalidOperationException("the catalog header query returned no row");
        var version = new PgVersion(r.GetFieldValue<int>(0));
        var database = r.GetFieldValue<string>(1);
        var user = r.GetFieldValue<string>(2);
        var searchPath = r.GetFieldValue<string>(3);
        var lockBudget = r.GetFieldValue<int>(4) / 2;
        var loCompat = r.GetFieldValue<bool>(5);
        // A scoped read first stores its relation OIDs (one row, nothing to keep).
        if (scope is not null) Next(r, "scope");

        var names = new NamePool();
        Next(r, "roles");
        var roles = CatalogRowMapper.ReadRoles(r, names);
        var roleOids = new Dictionary<string, uint>(roles.Length, StringComparer.Ordinal);
        foreach (var role in roles) roleOids[role.Name] = role.Oid;
        var acls = new AclResolver(roleOids, version.Major);

        Next(r, "memberships");
        var memberships = CatalogRowMapper.ReadMemberships(r);
        Next(r, "databases");
        var databases = CatalogRowMapper.ReadDatabases(r, acls);
        Next(r, "schemas");
        var schemas = CatalogRowMapper.ReadSchemas(r, names, acls);

        var assembler = new RelationAssembler(names, acls);
        Next(r, "relations");
        assembler.ReadRelations(r);
        Next(r, "columns");
        assembler.ReadColumns(r);
        Next(r, "view_references");
        assembler.ReadViewReferences(r);
        Next(r, "policies");
        assembler.ReadPolicies(r);
        // Relations are complete: assemble them on another core while the server computes sequences.
        var relations = Task.Run(assembler.BuildRelations);
        Next(r, "sequences");
        assembler.ReadSequences(r);
        Next(r, "sequence_defaults");
        assembler.ReadSequenceDefaults(r);
        var sequences = Task.Run(assembler.BuildSequences);

        Next(r, "functions");
        var functions = CatalogRowMapper.ReadFunctions(r, names, acls);
        Next(r, "types");
        var types = CatalogRowMapper.ReadTypes(r, acls);
        Next(r, "languages");
        var languages = CatalogRowMapper.ReadLanguages(r, names, acls);
        Next(r, "default_acls");
        var defaultAcls = CatalogRowMapper.ReadDefaultAcls(r, acls);
        Next(r, "role_settings");
        var roleSettings = CatalogRowMapper.ReadRoleSettings(r);
        var largeObjects = ImmutableArray<LargeObject>.Empty;
        if (scope is not null)
        {
            Next(r, "large_objects");
            largeObjects = CatalogRowMapper.ReadLargeObjects(r, acls);
        }
        Next(r, "footprints");
        var footprints = CatalogRowMapper.ReadFootprints(r);
        Next(r, "other_objects");
        var others = CatalogRowMapper.ReadOtherObjects(r, acls);
        Next(r, "triggers");
        var triggers = CatalogRowMapper.ReadTriggers(r, names);
        Next(r, "trigger_functions");
        var bodies = CatalogRowMapper.ReadRoutineBodies(r, names);

        var schemaNames = schemas.ToDictionary(s => s.Oid, s => s.Name);
        var unreadable = assembler
            .UnreadableSequenceValues(oid => schemaNames.GetValueOrDefault(oid) ?? oid.ToString(System.Globalization.CultureInfo.InvariantCulture), lockBudget)
            .ToImmutableArray();

        var built = relations.GetAwaiter().GetResult();
        var seqs = sequences.GetAwaiter().GetResult();
        return new CatalogSnapshot(
            version, database, user, searchPath,
            roles, memberships, databases, schemas,
            built, seqs,
            functions, types, languages, defaultAcls, unreadable, scope, roleSettings, largeObjects, loCompat, footprints, others)
        {
            Triggers = triggers,
            RoutineBodies = bodies,
        };
    }

    private static void Next(NpgsqlDataReader r, string expected)
    {
        if (!r.NextResult())
            throw new InvalidOperationException($"the catalog batch ended before the '{expected}' result set");
    }

    private static async Task RollBackQuietlyAsync(NpgsqlConnection connection)
    {
        // A cancel request still on its way may interrupt the first ROLLBACK; the second then ends the transaction.
        for (var attempt = 0; attempt < 2 && connection.FullState == System.Data.ConnectionState.Open; attempt++)
        {
            try
            {
                await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
                await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.QueryCanceled)
            {
                // Try once more.
            }
            catch (NpgsqlException)
            {
                // The original failure is what the caller needs to see; a broken connection cannot roll back anyway.
                return;
            }
        }
    }
}
