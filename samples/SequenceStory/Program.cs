// The classic sequence story, as the application sees it: the role may read and write its table, yet the
// first INSERT fails with "permission denied for sequence descriptions_id_seq". Pgrant.Npgsql checks what the
// INSERT needs before running it, and turns the PostgresException into the diagnosis and its fix in one call.
//
//   dotnet run --project samples/SequenceStory -- "Host=localhost;Database=sdc;Username=sdc;Password=…"
//   SEQUENCE_STORY_CONNECTION="Host=…;Username=sdc;…" dotnet samples/SequenceStory/bin/Release/net10.0/SequenceStory.dll
//
// Exit code: 0 when the row was inserted, 1 when the insert hit a permission error, 2 when it could not run.
using System.Globalization;
using Npgsql;
using Pgrant.Core;
using Pgrant.Core.Diagnosis;
using Pgrant.Npgsql;

const string Variable = "SEQUENCE_STORY_CONNECTION";
const string InsertSql =
    "INSERT INTO descriptions (product_id, product_name, features, tech_specs) VALUES ($1, $2, $3, $4) RETURNING *";

var connectionString = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable(Variable);
if (string.IsNullOrWhiteSpace(connectionString))
{
    Console.Error.WriteLine($"usage: SequenceStory CONNECTION_STRING (or set {Variable}): the application role's connection, e.g. \"Host=localhost;Database=sdc;Username=sdc;Password=…\"");
    return 2;
}

await using var dataSource = NpgsqlDataSource.Create(connectionString);

try
{
    Console.WriteLine("Start-up check of what the application runs:");
    var report = await dataSource.CheckAccessAsync([AccessRequirement.Statement(InsertSql)]);
    Console.Write(report);

    Console.WriteLine();
    Console.WriteLine($"The application's INSERT: {InsertSql}");
    await using var command = dataSource.CreateCommand(InsertSql);
    command.Parameters.Add(new NpgsqlParameter { Value = 1 });
    command.Parameters.Add(new NpgsqlParameter { Value = "Widget 1" });
    command.Parameters.Add(new NpgsqlParameter { Value = "sturdy, blue" });
    command.Parameters.Add(new NpgsqlParameter { Value = "10 cm" });
    try
    {
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var row = Enumerable.Range(0, reader.FieldCount)
            .Select(i => $"{reader.GetName(i)}={Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)}");
        Console.WriteLine($"INSERT 0 1: {string.Join(", ", row)}");
        return 0;
    }
    catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
    {
        Console.WriteLine($"failed: {e.SqlState}: {e.MessageText}");
        Console.WriteLine();
        // The one call: the cause, what is missing, and the least-privilege fix. With the statement, RETURNING *
        // is judged too (a single command's exception does not carry it).
        Console.Write(await dataSource.DiagnoseAsync(e, InsertSql));
        return 1;
    }
}
catch (Exception e) when (e is NpgsqlException or PgrantException)
{
    Console.Error.WriteLine($"SequenceStory: {e.Message}");
    return 2;
}
