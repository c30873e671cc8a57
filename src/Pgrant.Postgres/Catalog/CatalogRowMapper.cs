using System.Collections.Immutable;
using Npgsql;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Postgres.Catalog;

/// <summary>
/// Maps the result sets of the simple catalog queries (one row, one model object) in the column
/// order of <see cref="CatalogQueries"/>. Columns are read by ordinal with typed getters.
/// </summary>
internal static class CatalogRowMapper
{
    // OIDs below FirstNormalObjectId were assigned by initdb.
    private const uint FirstNormalObjectId = 16384;

    public static ImmutableArray<Role> ReadRoles(NpgsqlDataReader r, NamePool names)
    {
        var roles = ImmutableArray.CreateBuilder<Role>();
        while (r.Read())
        {
            var oid = r.GetFieldValue<uint>(0);
            var name = names.Intern(r.GetFieldValue<string>(1));
            roles.Add(new Role(
                oid, name,
                IsSuperuser: r.GetFieldValue<bool>(2),
                CanLogin: r.GetFieldValue<bool>(3),
                Inherit: r.GetFieldValue<bool>(4),
                CreateRole: r.GetFieldValue<bool>(5),
                CreateDb: r.GetFieldValue<bool>(6),
                BypassRls: r.GetFieldValue<bool>(7),
                IsPredefined: oid < FirstNormalObjectId && name.StartsWith("pg_", StringComparison.Ordinal)));
        }
        return roles.DrainToImmutable();
    }

    public static ImmutableArray<Membership> ReadMemberships(NpgsqlDataReader r)
    {
        var list = ImmutableArray.CreateBuilder<Membership>();
        while (r.Read())
        {
            list.Add(new Membership(
                Group: r.GetFieldValue<uint>(0),
                Member: r.GetFieldValue<uint>(1),
                Grantor: r.GetFieldValue<uint>(2),
                AdminOption: r.GetFieldValue<bool>(3),
                InheritOption: NullableBool(r, 4),
                SetOption: NullableBool(r, 5)));
        }
        return list.DrainToImmutable();
    }

    public static ImmutableArray<Database> ReadDatabases(NpgsqlDataReader r, AclResolver acls)
    {
        var list = ImmutableArray.CreateBuilder<Database>();
        while (r.Read())
        {
            var owner = r.GetFieldValue<uint>(2);
            list.Add(new Database(
                Oid: r.GetFieldValue<uint>(0),
                Name: r.GetFieldValue<string>(1),
                Owner: owner,
                Acl: acls.Resolve(Text(r, 3), ObjectKind.Database, owner),
                AllowConnections: r.GetFieldValue<bool>(4),
                IsTemplate: r.GetFieldValue<bool>(5)));
        }
        return list.DrainToImmutable();
    }

    public static ImmutableArray<Schema> ReadSchemas(NpgsqlDataReader r, NamePool names, AclResolver acls)
    {
        var list = ImmutableArray.CreateBuilder<Schema>();
        while (r.Read())
        {
            var name = names.Intern(r.GetFieldValue<string>(1));
            var owner = r.GetFieldValue<uint>(2);
            list.Add(new Schema(
                Oid: r.GetFieldValue<uint>(0),
                Name: name,
                Owner: owner,
                Acl: acls.Resolve(Text(r, 3), ObjectKind.Schema, owner),
                IsSystem: name is "pg_catalog" or "information_schema"));
        }
        return list.DrainToImmutable();
    }

    public static ImmutableArray<Function> ReadFunctions(NpgsqlDataReader r, NamePool names, AclResolver acls)
    {
        var list = ImmutableArray.CreateBuilder<Function>();
        while (r.Read())
        {
            var kind = CatalogRowMapper.Char(r, 4) switch
            {
                'p' => ObjectKind.Procedure,
                'a' => ObjectKind.Aggregate,
                _ => ObjectKind.Function, // 'f' and window functions ('w'), which the server calls functions
            };
            var owner = r.GetFieldValue<uint>(5);
            list.Add(new Function(
                Oid: r.GetFieldValue<uint>(0),
                Schema: r.GetFieldValue<uint>(1),
                Name: r.GetFieldValue<string>(2),
                IdentityArguments: names.Intern(r.GetFieldValue<string>(3)),
                Kind: kind,
                Owner: owner,
                Acl: acls.Resolve(Text(r, 6), kind, owner),
                SecurityDefiner: r.GetFieldValue<bool>(7),
                Config: r.IsDBNull(8) ? [] : ImmutableArray.Create(r.GetFieldValue<string[]>(8)),
                Language: names.Intern(r.GetFieldValue<string>(9))));
        }
        return list.DrainToImmutable();
    }

    public static ImmutableArray<TypeInfo> ReadTypes(NpgsqlDataReader r, AclResolver acls)
    {
        var list = ImmutableArray.CreateBuilder<TypeInfo>();
        while (r.Read())
        {
            var kind = CatalogRowMapper.Char(r, 3) == 'd' ? ObjectKind.Domain : ObjectKind.Type;
            var owner = r.GetFieldValue<uint>(4);
            list.Add(new TypeInfo(
                Oid: r.GetFieldValue<uint>(0),
                Schema: r.GetFieldValue<uint>(1),
                Name: r.GetFieldValue<string>(2),
                Kind: kind,
                Owner: owner,
                Acl: acls.Resolve(Text(r, 5), kind, owner),
                RangeType: r.GetFieldValue<uint>(6))
            {
                ElementType = r.GetFieldValue<uint>(7),
                RowTypeOf = r.GetFieldValue<uint>(8),
                ArrayType = r.GetFieldValue<uint>(9),
            });
        }
        return list.DrainToImmutable();
    }

    public static ImmutableArray<LargeObject> ReadLargeObjects(NpgsqlDataReader r, AclResolver acls)
    {
        var list = ImmutableArray.CreateBuilder<LargeObject>();
        while (r.Read())
        {
            var owner = r.GetFieldValue<uint>(1);
            list.Add(new LargeObject(r.GetFieldValue<uint>(0), owner, acls.Resolve(Text(r, 2), ObjectKind.LargeObject, owner)));
        }
        return list.DrainToImmutable();
    }

    public static ImmutableArray<Language> ReadLanguages(NpgsqlDataReader r, NamePool names, AclResolver acls)
    {
        var list = ImmutableArray.CreateBuilder<Language>();
        while (r.Read())
        {
            var owner = r.GetFieldValue<uint>(2);
            list.Add(new Language(
                Oid: r.GetFieldValue<uint>(0),
                Name: names.Intern(r.GetFieldValue<string>(1)),
                Owner: owner,
                Acl: acls.Resolve(Text(r, 3), ObjectKind.Language, owner),
                Trusted: r.GetFieldValue<bool>(4)));
        }
        return list.DrainToImmutable();
    }

    public static ImmutableArray<DefaultAcl> ReadDefaultAcls(NpgsqlDataReader r, AclResolver acls)
    {
        var list = ImmutableArray.CreateBuilder<DefaultAcl>();
        while (r.Read())
        {
            list.Add(new DefaultAcl(
                Role: r.GetFieldValue<uint>(0),
                Schema: r.GetFieldValue<uint>(1),
                ObjectType: CatalogRowMapper.Char(r, 2),
                Acl: acls.ResolveExplicit(Text(r, 3))));
        }
        return list.DrainToImmutable();
    }

    public static ImmutableArray<RoleSetting> ReadRoleSettings(NpgsqlDataReader r)
    {
        var list = ImmutableArray.CreateBuilder<RoleSetting>();
        while (r.Read())
            list.Add(new RoleSetting(r.GetFieldValue<uint>(0), r.GetFieldValue<uint>(1),
                r.IsDBNull(2) ? [] : ImmutableArray.Create(r.GetFieldValue<string[]>(2))));
        return list.DrainToImmutable();
    }

    public static ImmutableArray<RoleFootprint> ReadFootprints(NpgsqlDataReader r)
    {
        var list = ImmutableArray.CreateBuilder<RoleFootprint>();
        while (r.Read())
            list.Add(new RoleFootprint(r.GetFieldValue<uint>(0), r.GetFieldValue<int>(1), r.GetFieldValue<int>(2), r.GetFieldValue<int>(3),
                [.. r.GetFieldValue<string?[]>(4).Where(x => x is not null).Select(x => x!)]));
        return list.DrainToImmutable();
    }

    public static ImmutableArray<SecurableObject> ReadOtherObjects(NpgsqlDataReader r, AclResolver acls)
    {
        var list = ImmutableArray.CreateBuilder<SecurableObject>();
        while (r.Read())
        {
            var kind = r.GetFieldValue<string>(0) switch
            {
                "w" => ObjectKind.ForeignDataWrapper,
                "s" => ObjectKind.ForeignServer,
                _ => ObjectKind.Parameter,
            };
            var owner = r.GetFieldValue<uint>(3);
            list.Add(new SecurableObject(kind, r.GetFieldValue<uint>(1), r.GetFieldValue<string>(2), owner, acls.Resolve(Text(r, 4), kind, owner)));
        }
        return list.DrainToImmutable();
    }

    /// <summary>A "char" column the queries send as its code (::int); '\0' is the empty "char" (e.g. attidentity of a plain column).</summary>
    public static ImmutableArray<Trigger> ReadTriggers(NpgsqlDataReader r, NamePool names)
    {
        var list = ImmutableArray.CreateBuilder<Trigger>();
        while (r.Read())
            list.Add(new Trigger(r.GetFieldValue<uint>(0), r.GetFieldValue<uint>(1), names.Intern(r.GetFieldValue<string>(2)),
                r.GetFieldValue<uint>(3), (short)r.GetFieldValue<int>(4), Char(r, 5)));
        return list.DrainToImmutable();
    }

    public static ImmutableArray<RoutineBody> ReadRoutineBodies(NpgsqlDataReader r, NamePool names)
    {
        var list = ImmutableArray.CreateBuilder<RoutineBody>();
        while (r.Read())
            list.Add(new RoutineBody(r.GetFieldValue<uint>(0), names.Intern(r.GetFieldValue<string>(1)), r.GetFieldValue<string>(2)));
        return list.DrainToImmutable();
    }

    public static char Char(NpgsqlDataReader r, int ordinal) => (char)r.GetFieldValue<int>(ordinal);

    public static string? Text(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetFieldValue<string>(ordinal);

    private static bool? NullableBool(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetFieldValue<bool>(ordinal);
}
