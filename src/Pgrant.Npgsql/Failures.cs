using System.Net.Sockets;
using Npgsql;
using Pgrant.Core;

namespace Pgrant.Npgsql;

/// <summary>One line for why the catalog could not be read or the check could not run, with no password in it.</summary>
internal static class Failures
{
    public static string Describe(Exception e, NpgsqlDataSource dataSource)
    {
        var text = e switch
        {
            PostgresException pe => pe.MessageText,
            PgrantException pg => pg.Message,
            NpgsqlException ne when Find<SocketException>(ne) is { } socket => $"{ne.Message} ({socket.Message})",
            NpgsqlException ne when ne.InnerException is TimeoutException timeout => $"{ne.Message} ({timeout.Message})",
            NpgsqlException ne => ne.Message,
            _ => $"{e.GetType().Name}: {e.Message}",
        };
        return Scrub(text, dataSource);
    }

    /// <summary>Belt and braces: a password the data source knows never appears in what pgrant says.</summary>
    public static string Scrub(string text, NpgsqlDataSource dataSource)
    {
        var password = PasswordOf(dataSource);
        return string.IsNullOrEmpty(password) ? text : text.Replace(password, "********", StringComparison.Ordinal);
    }

    /// <summary>The user the data source connects as, when its connection string names one; "" when not.</summary>
    public static string UserOf(NpgsqlDataSource dataSource)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Username ?? "";
        }
        catch (ArgumentException)
        {
            return "";
        }
    }

    private static string? PasswordOf(NpgsqlDataSource dataSource)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Password;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
            if (e is T found) return found;
        return null;
    }
}
