using Pgrant.Core.Sql;
using System.Collections.Immutable;
using System.Security.Cryptography;
using Npgsql;
using Pgrant.Core.Planning;
using Pgrant.Clusters;

namespace Pgrant.Demo;

/// <summary>
/// The world of the classic "permission denied for sequence" story on a throwaway cluster: superuser
/// Stephen, login role sdc with a password, database sdc, table descriptions with a serial id,
/// and GRANT ALL ON descriptions TO sdc — which never reaches descriptions_id_seq.
/// </summary>
public sealed class SequenceStory(LocalCluster cluster)
{
    public const string Superuser = "Stephen";
    public const string AppRole = "sdc";
    public const string Database = "sdc";
    public const string Table = "descriptions";
    public const string Sequence = "descriptions_id_seq";

    /// <summary>The story's statement, exactly as its node client sends it.</summary>
    public const string InsertSql =
        "INSERT INTO descriptions (product_id, product_name, features, tech_specs) VALUES ($1, $2, $3, $4) RETURNING *";

    // Random per run: the demo never prints them, and the cluster is deleted afterwards.
    public string StephenPassword { get; } = NewPassword();
    public string AppPassword { get; } = NewPassword();

    public string StephenConnectionString => cluster.ConnectionString(Database, Superuser, StephenPassword);
    public string AppConnectionString => cluster.ConnectionString(Database, AppRole, AppPassword);

    public async Task SetUpAsync(CancellationToken ct = default)
    {
        await cluster.ExecuteAsync(
            $"CREATE ROLE {SqlNames.Ident(Superuser)} SUPERUSER LOGIN PASSWORD {SqlNames.Literal(StephenPassword)};" +
            $"CREATE ROLE {SqlNames.Ident(AppRole)} LOGIN PASSWORD {SqlNames.Literal(AppPassword)};", cancellationToken: ct);
        await cluster.CreateDatabaseAsync(Database, Superuser, ct);
        await using var connection = new NpgsqlConnection(StephenConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(WorldSql(Database, AppRole), connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The story's world inside <paramref name="database"/>, run there by its owner or a superuser: as in the
    /// story, <paramref name="appRole"/> may connect and create in the database and holds every privilege on
    /// the table, whose serial id takes its default from a sequence it holds nothing on. Tests build the same
    /// world with uniquely named roles on a shared cluster.
    /// </summary>
    public static string WorldSql(string database, string appRole) => $"""
        GRANT ALL ON DATABASE {SqlNames.Ident(database)} TO {SqlNames.Ident(appRole)};
        CREATE TABLE {SqlNames.Ident(Table)} (
            id serial PRIMARY KEY,
            product_id integer,
            product_name text,
            features text,
            tech_specs text
        );
        GRANT ALL ON {SqlNames.Ident(Table)} TO {SqlNames.Ident(appRole)};
        """;

    /// <summary>Runs the story's INSERT … RETURNING * as sdc; returns the row, or the server's error.</summary>
    public async Task<InsertOutcome> InsertAsAppAsync(int productId, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(AppConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(InsertSql, connection);
        command.Parameters.AddWithValue(productId);
        command.Parameters.AddWithValue("Widget " + productId);
        command.Parameters.AddWithValue("sturdy, blue");
        command.Parameters.AddWithValue("10 cm");
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            var row = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
            if (await reader.ReadAsync(ct))
            {
                for (var i = 0; i < reader.FieldCount; i++)
                    row.Add(new(reader.GetName(i), Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? ""));
            }
            return new InsertOutcome(row.ToImmutable(), null);
        }
        catch (PostgresException e)
        {
            return new InsertOutcome([], e);
        }
    }

    private static string NewPassword() => Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
}

/// <summary>The inserted row (column → value), or the error the server raised.</summary>
public sealed record InsertOutcome(ImmutableArray<KeyValuePair<string, string>> Row, PostgresException? Error)
{
    public bool Succeeded => Error is null;
}
