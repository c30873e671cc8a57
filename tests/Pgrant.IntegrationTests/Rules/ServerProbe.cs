namespace Pgrant.IntegrationTests.Rules;

/// <summary>Asks the server itself, as a given role, what a rule claims: a statement fails with 42501, or works.</summary>
internal static class ServerProbe
{
    public const string Password = "pw";

    /// <summary>Runs <paramref name="sql"/> as the role (password <see cref="Password"/>) and returns the server's 42501 error.</summary>
    public static async Task<PostgresException> DeniedAsync(TestDatabase db, string role, string sql)
    {
        await using var conn = await db.OpenAsync(role, Password);
        var e = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand(sql, conn).ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
        return e;
    }

    /// <summary>Runs <paramref name="sql"/> as the role and returns the affected row count.</summary>
    public static async Task<int> RunAsAsync(TestDatabase db, string role, string sql)
    {
        await using var conn = await db.OpenAsync(role, Password);
        return await new NpgsqlCommand(sql, conn).ExecuteNonQueryAsync();
    }

    /// <summary>A boolean the superuser reads, e.g. has_table_privilege(…).</summary>
    public static async Task<bool> TrueAsync(TestDatabase db, string sql)
    {
        await using var conn = await db.OpenAsync();
        return (bool)(await new NpgsqlCommand(sql, conn).ExecuteScalarAsync())!;
    }
}
