using Pgrant.Core.Catalog;

namespace Pgrant.Core.Access;

/// <summary>
/// The predefined roles that change privilege checks, by name (their OIDs are fixed by initdb,
/// but the snapshot is the authority on which exist in a given version).
/// </summary>
internal static class PredefinedRoles
{
    /// <summary>14+: SELECT on every relation and sequence, USAGE on every schema.</summary>
    public const string ReadAllData = "pg_read_all_data";
    /// <summary>14+: INSERT/UPDATE/DELETE on every relation (UPDATE on sequences), USAGE on every schema.</summary>
    public const string WriteAllData = "pg_write_all_data";
    /// <summary>17+: MAINTAIN on every relation.</summary>
    public const string Maintain = "pg_maintain";
    /// <summary>14+: its one implicit member is the owner of the current database.</summary>
    public const string DatabaseOwner = "pg_database_owner";

    /// <summary>The first server major version that has the role.</summary>
    public static int Since(string name) => name switch
    {
        ReadAllData or WriteAllData or DatabaseOwner => 14,
        Maintain => 17,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a predefined role pgrant evaluates"),
    };

    /// <summary>The role's OID in the snapshot, or 0 when the version or the snapshot lacks it.</summary>
    public static uint Find(CatalogSnapshot snapshot, string name)
    {
        if (!snapshot.Version.AtLeast(Since(name))) return 0;
        var role = snapshot.RoleByName(name);
        return role is { IsPredefined: true } ? role.Oid : 0;
    }
}
