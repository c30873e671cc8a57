namespace Pgrant.Tests.Shared;

/// <summary>
/// The fix text PGR008 writes, expected alike by the in-memory rule tests and the real-server tests
/// (compiled into both test projects).
/// </summary>
internal static class PrivilegedAppLoginFixes
{
    /// <summary>The attribute change, then the caution that the role must first be granted what it needs.</summary>
    public static string AttributeFix(string role, string statement) =>
        $"{statement}\n" +
        $"-- caution: first grant {role} what the application needs (explaining each permission error shows the least grant), then take the attribute away.";

    /// <summary>Advice only: ownership moves by a person's decision; the example (never run) names the owner role to create.</summary>
    public static string OwnerFix(string schema, string role) =>
        $"-- advice: let a NOLOGIN role (e.g. {schema}_owner) own these objects, have the migration login SET ROLE to it, " +
        $"and grant {role} only the privileges it uses (SELECT, INSERT, UPDATE, DELETE on its tables, USAGE on their sequences).\n" +
        $"--   CREATE ROLE {schema}_owner NOLOGIN;";
}
