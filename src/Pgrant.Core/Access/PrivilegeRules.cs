using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Access;

/// <summary>
/// The server's per-kind rules around the ACL walk (catalog/aclchk.c): which privileges exist for a
/// kind, the system-catalog write lock, and the privileges predefined roles add.
/// </summary>
internal static class PrivilegeRules
{
    private const Privilege WriteBits = Privilege.Insert | Privilege.Update | Privilege.Delete;
    private const Privilege CatalogLocked = WriteBits | Privilege.Truncate | Privilege.Usage;

    public static bool IsRelation(ObjectKind kind) => kind is ObjectKind.Table or ObjectKind.View
        or ObjectKind.MaterializedView or ObjectKind.ForeignTable or ObjectKind.PartitionedTable or ObjectKind.Sequence;

    /// <summary>Privileges that exist for the kind on this version (has_*_privilege rejects the others).</summary>
    public static Privilege Applicable(ObjectKind kind, int major) => Privileges.All(kind, major);

    /// <summary>
    /// pg_class_aclmask_ext: nobody but a superuser may write a system catalog (a relation in
    /// pg_catalog other than a view), whatever its ACL says.
    /// </summary>
    public static Privilege CatalogLockedBits(ISecurable obj) =>
        obj is Relation { Kind: not ObjectKind.View, Schema: PgCatalogNamespace } ? CatalogLocked : Privilege.None;

    /// <summary>pg_catalog's OID, fixed by initdb on every version (PG_CATALOG_NAMESPACE); asked once per privilege check.</summary>
    public const uint PgCatalogNamespace = 11;

    /// <summary>
    /// The predefined roles that add <paramref name="privilege"/> (one bit) on an object of <paramref name="kind"/>,
    /// in the server's order of checking. Relations: pg_read_all_data SELECT, pg_write_all_data
    /// INSERT/UPDATE/DELETE, pg_maintain MAINTAIN; schemas: either data role gives USAGE.
    /// </summary>
    public static IEnumerable<string> PredefinedFor(ObjectKind kind, Privilege privilege)
    {
        if (IsRelation(kind))
        {
            if (privilege == Privilege.Select) yield return PredefinedRoles.ReadAllData;
            if ((privilege & WriteBits) != 0) yield return PredefinedRoles.WriteAllData;
            if (privilege == Privilege.Maintain) yield return PredefinedRoles.Maintain;
        }
        else if (kind == ObjectKind.Schema && privilege == Privilege.Usage)
        {
            yield return PredefinedRoles.ReadAllData;
            yield return PredefinedRoles.WriteAllData;
        }
    }

    /// <summary>
    /// What predefined roles add to <paramref name="result"/> (the ACL's answer for <paramref name="mask"/>),
    /// exactly as pg_class_aclmask_ext / pg_namespace_aclmask_ext do — including the quirk that
    /// pg_write_all_data adds nothing when the ACL already gave any of INSERT, UPDATE, DELETE.
    /// </summary>
    public static Privilege AddPredefined(ObjectKind kind, Privilege mask, Privilege result, AccessEvaluator evaluator, uint role)
    {
        // A method, not a captured lambda: this runs for every privilege check of an audit.
        bool hasPrivilegesOf(string name) => evaluator.HasPrivilegesOfPredefined(role, name);
        if (IsRelation(kind))
        {
            if ((mask & Privilege.Select) != 0 && (result & Privilege.Select) == 0 && hasPrivilegesOf(PredefinedRoles.ReadAllData))
                result |= Privilege.Select;
            if ((mask & WriteBits) != 0 && (result & WriteBits) == 0 && hasPrivilegesOf(PredefinedRoles.WriteAllData))
                result |= mask & WriteBits;
            if ((mask & Privilege.Maintain) != 0 && (result & Privilege.Maintain) == 0 && hasPrivilegesOf(PredefinedRoles.Maintain))
                result |= Privilege.Maintain;
        }
        else if (kind == ObjectKind.Schema)
        {
            if ((mask & Privilege.Usage) != 0 && (result & Privilege.Usage) == 0
                && (hasPrivilegesOf(PredefinedRoles.ReadAllData) || hasPrivilegesOf(PredefinedRoles.WriteAllData)))
                result |= Privilege.Usage;
        }
        return result;
    }
}
