namespace Pgrant.IntegrationTests.Rules;

/// <summary>Runs findings' fixes on the server as the fix script would: one transaction, comments included.</summary>
internal static class RuleFix
{
    public static Task ApplyAsync(TestDatabase db, params Finding[] findings) =>
        db.ExecuteAsync("BEGIN;\nSET LOCAL lock_timeout = '5s';\n" + string.Join("\n", findings.SelectMany(FixScript.Lines)) + "\nCOMMIT;");

    /// <summary>Runs one statement as a login role; returns the server's error message, or null when it succeeded.</summary>
    public static async Task<string?> TryAsAsync(TestDatabase db, string role, string sql)
    {
        await using var conn = await db.OpenAsync(role, "pw");
        try
        {
            await new NpgsqlCommand(sql, conn).ExecuteNonQueryAsync();
            return null;
        }
        catch (PostgresException e)
        {
            return e.MessageText;
        }
    }
}
