using System.Collections.Frozen;
using System.Text;

namespace Pgrant.Core.Sql;

/// <summary>
/// The one quoting of names. Every identifier pgrant writes into a statement (through <see cref="SqlWriter"/>)
/// goes through <see cref="Ident"/> (or the helpers built on it); never concatenate a name.
/// </summary>
public static class SqlNames
{
    // Keywords that quote_ident() quotes: every category except UNRESERVED, as listed by
    // pg_get_keywords() on 15, plus the words later versions added (16: system_user and the
    // SQL/JSON words; 17: json_exists, json_query, json_table, json_value, merge_action…).
    // Quoting a word that did not need it is harmless; the reverse would break the statement.
    private static readonly FrozenSet<string> Keywords = """
        all analyse analyze and any array as asc asymmetric authorization between bigint binary bit
        boolean both case cast char character check coalesce collate collation column concurrently
        constraint create cross current_catalog current_date current_role current_schema current_time
        current_timestamp current_user dec decimal default deferrable desc distinct do else end except
        exists extract false fetch float for foreign freeze from full grant greatest group grouping having
        ilike in initially inner inout int integer intersect interval into is isnull join lateral leading
        least left like limit localtime localtimestamp national natural nchar none normalize not notnull
        null nullif numeric offset on only or order out outer overlaps overlay placing position precision
        primary real references returning right row select session_user setof similar smallint some
        substring symmetric table tablesample then time timestamp to trailing treat trim true union unique
        user using values varchar variadic verbose when where window with xmlattributes xmlconcat
        xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable
        system_user json json_array json_arrayagg json_exists json_object json_objectagg json_query
        json_scalar json_serialize json_table json_value merge_action
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Quotes an identifier exactly when PostgreSQL's quote_ident() would.</summary>
    public static string Ident(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (IsBare(name))
            return name;
        var sb = new StringBuilder(name.Length + 2);
        sb.Append('"');
        foreach (var ch in name)
        {
            if (ch == '"') sb.Append('"');
            sb.Append(ch);
        }
        return sb.Append('"').ToString();
    }

    /// <summary>schema.name, each part quoted as needed.</summary>
    public static string Qualified(string schema, string name) => Ident(schema) + "." + Ident(name);


    /// <summary>A string literal (standard_conforming_strings on): quotes doubled; E'' form when a backslash occurs.</summary>
    public static string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var escaped = value.Replace("'", "''", StringComparison.Ordinal);
        return value.Contains('\\')
            ? "E'" + escaped.Replace("\\", "\\\\", StringComparison.Ordinal) + "'"
            : "'" + escaped + "'";
    }

    private static bool IsBare(string name)
    {
        if (name.Length == 0) return false;
        var first = name[0];
        if (!(first is >= 'a' and <= 'z' || first == '_')) return false;
        foreach (var ch in name)
        {
            if (!(ch is >= 'a' and <= 'z' or >= '0' and <= '9' || ch == '_'))
                return false;
        }
        return !Keywords.Contains(name);
    }
}
