using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Diagnosis;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Access;

/// <summary>The modes of LOCK TABLE, weakest first.</summary>
public enum TableLockMode
{
    /// <summary>ACCESS SHARE.</summary>
    AccessShare,
    /// <summary>ROW SHARE.</summary>
    RowShare,
    /// <summary>ROW EXCLUSIVE.</summary>
    RowExclusive,
    /// <summary>SHARE UPDATE EXCLUSIVE.</summary>
    ShareUpdateExclusive,
    /// <summary>SHARE.</summary>
    Share,
    /// <summary>SHARE ROW EXCLUSIVE.</summary>
    ShareRowExclusive,
    /// <summary>EXCLUSIVE.</summary>
    Exclusive,
    /// <summary>ACCESS EXCLUSIVE (the default of LOCK TABLE).</summary>
    AccessExclusive,
}

/// <summary>A LOCK TABLE statement: the tables (as SQL writes them) and the mode.</summary>
/// <param name="Tables">The tables, schema-qualified where the statement qualifies them, quoted where needed.</param>
/// <param name="Mode">The lock mode.</param>
public sealed record TableLock(ImmutableArray<string> Tables, TableLockMode Mode);

/// <summary>
/// What LOCK TABLE needs, as real servers answer it (each mode tried as a role holding one privilege, 13–18):
/// up to 15, ACCESS SHARE needs SELECT, ROW SHARE UPDATE, DELETE or TRUNCATE, ROW EXCLUSIVE also INSERT, and the
/// stronger modes UPDATE, DELETE or TRUNCATE; from 16 every write privilege allows the weaker modes (ACCESS SHARE:
/// any of SELECT, INSERT, UPDATE, DELETE, TRUNCATE; ROW SHARE and ROW EXCLUSIVE: any write), and from 17 MAINTAIN
/// allows every mode.
/// </summary>
public static class TableLocks
{
    /// <summary>The privileges any one of which lets a role take <paramref name="mode"/> on a table on <paramref name="major"/>.</summary>
    public static Privilege Allowing(TableLockMode mode, int major)
    {
        const Privilege writes = Privilege.Update | Privilege.Delete | Privilege.Truncate;
        var maintain = major >= 17 ? Privilege.Maintain : Privilege.None;
        if (major >= 16)
        {
            return mode switch
            {
                TableLockMode.AccessShare => Privilege.Select | Privilege.Insert | writes | maintain,
                TableLockMode.RowShare or TableLockMode.RowExclusive => Privilege.Insert | writes | maintain,
                _ => writes | maintain,
            };
        }
        return mode switch
        {
            TableLockMode.AccessShare => Privilege.Select,
            TableLockMode.RowShare => writes,
            TableLockMode.RowExclusive => Privilege.Insert | writes,
            _ => writes,
        };
    }

    /// <summary>
    /// The least of <see cref="Allowing"/>: SELECT for ACCESS SHARE, INSERT for ROW EXCLUSIVE; for the others MAINTAIN
    /// on 17+ (it changes no data), else INSERT (ROW SHARE on 16) or UPDATE.
    /// </summary>
    public static Privilege Least(TableLockMode mode, int major) => mode switch
    {
        TableLockMode.AccessShare => Privilege.Select,
        TableLockMode.RowExclusive => Privilege.Insert,
        _ when major >= 17 => Privilege.Maintain,
        TableLockMode.RowShare when major == 16 => Privilege.Insert,
        _ => Privilege.Update,
    };

    /// <summary>The mode as SQL writes it ("SHARE ROW EXCLUSIVE").</summary>
    public static string Sql(TableLockMode mode) => mode switch
    {
        TableLockMode.AccessShare => "ACCESS SHARE",
        TableLockMode.RowShare => "ROW SHARE",
        TableLockMode.RowExclusive => "ROW EXCLUSIVE",
        TableLockMode.ShareUpdateExclusive => "SHARE UPDATE EXCLUSIVE",
        TableLockMode.Share => "SHARE",
        TableLockMode.ShareRowExclusive => "SHARE ROW EXCLUSIVE",
        TableLockMode.Exclusive => "EXCLUSIVE",
        _ => "ACCESS EXCLUSIVE",
    };

    /// <summary>The tables and mode of a LOCK statement, or null when <paramref name="statement"/> is not one.</summary>
    public static TableLock? Parse(string statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var t = SqlTokenizer.Tokenize(statement);
        if (t.Count == 0 || !t[0].IsWord("lock")) return null;
        var i = 1;
        if (i < t.Count && t[i].IsWord("table")) i++;
        var tables = ImmutableArray.CreateBuilder<string>();
        while (i < t.Count)
        {
            if (t[i].IsWord("only")) i++;
            if (i >= t.Count || !t[i].IsIdentifier) break;
            var first = t[i++].Text;
            string? schema = null, name = first;
            if (i + 1 < t.Count && t[i].IsSymbol(".") && t[i + 1].IsIdentifier)
            {
                schema = first;
                name = t[i + 1].Text;
                i += 2;
            }
            tables.Add(schema is null ? SqlNames.Ident(name) : SqlNames.Qualified(schema, name));
            if (i < t.Count && t[i].IsSymbol("*")) i++;
            if (i < t.Count && t[i].IsSymbol(",")) { i++; continue; }
            break;
        }
        if (tables.Count == 0) return null;
        var mode = TableLockMode.AccessExclusive;
        if (i < t.Count && t[i].IsWord("in"))
        {
            var words = new List<string>();
            for (i++; i < t.Count && !t[i].IsWord("mode"); i++) words.Add(t[i].Text);
            mode = string.Join(" ", words) switch
            {
                "access share" => TableLockMode.AccessShare,
                "row share" => TableLockMode.RowShare,
                "row exclusive" => TableLockMode.RowExclusive,
                "share update exclusive" => TableLockMode.ShareUpdateExclusive,
                "share" => TableLockMode.Share,
                "share row exclusive" => TableLockMode.ShareRowExclusive,
                "exclusive" => TableLockMode.Exclusive,
                _ => TableLockMode.AccessExclusive,
            };
        }
        return new TableLock(tables.ToImmutable(), mode);
    }
}
