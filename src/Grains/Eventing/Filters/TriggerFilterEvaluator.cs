using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Grains.Eventing.Filters.Cesql;

namespace Knative.Orleans.Grains.Eventing.Filters;

/// <summary>
/// A trigger's filter, compiled once (CESQL parsed) and evaluated per event (pure). Which filter runs: a non-empty
/// <c>filters</c> (ANDed) wins over <c>filter</c>; with neither every event passes.
/// </summary>
public sealed class TriggerFilterEvaluator
{
    private readonly Func<EventAttributes, bool> _matches;

    private TriggerFilterEvaluator(Func<EventAttributes, bool> matches) => _matches = matches;

    /// <summary>Compiles the filter of <paramref name="spec"/>; an unparsable CESQL expression never matches.</summary>
    public static TriggerFilterEvaluator Compile(TriggerSpec? spec)
    {
        if (spec?.Filters is { Count: > 0 } filters)
        {
            var compiled = filters.Select(CompileOne).ToArray();
            return new(e => compiled.All(f => f(e)));
        }

        if (spec?.Filter?.Attributes is { Count: > 0 } attributes)
        {
            var pairs = attributes.ToArray();
            return new(e => pairs.All(p => e.TryGetText(p.Key, out var v) && (p.Value.Length == 0 ? v.Length > 0 : v == p.Value)));
        }

        return new(_ => true);
    }

    /// <summary>The error text of a CESQL expression that does not parse, or null (for admission).</summary>
    public static string? CesqlParseError(string expression) =>
        CesqlExpression.TryParse(expression, out _, out var error) ? null : error.ToString();

    /// <summary>True when the event passes.</summary>
    public bool Matches(EventAttributes cloudEvent) => _matches(cloudEvent);

    private static Func<EventAttributes, bool> CompileOne(SubscriptionsApiFilter f)
    {
        switch (f)
        {
            case { Exact: { } exact }:
                return Each(exact, (v, want) => v == want);
            case { Prefix: { } prefix }:
                return Each(prefix, (v, want) => v.StartsWith(want, StringComparison.Ordinal));
            case { Suffix: { } suffix }:
                return Each(suffix, (v, want) => v.EndsWith(want, StringComparison.Ordinal));
            case { All: { } all }:
                var allOf = all.Select(CompileOne).ToArray();
                return e => allOf.All(c => c(e));
            case { Any: { } any }:
                var anyOf = any.Select(CompileOne).ToArray();
                return e => anyOf.Any(c => c(e));
            case { Not: { } not }:
                var inner = CompileOne(not);
                return e => !inner(e);
            case { Cesql: { } text }:
                return CesqlExpression.TryParse(text, out var expression, out _) ? e => expression.Matches(e) : _ => false;
            default:
                return _ => true;
        }
    }

    private static Func<EventAttributes, bool> Each(Dictionary<string, string> map, Func<string, string, bool> test)
    {
        var pairs = map.ToArray();
        return e => pairs.All(p => e.TryGetText(p.Key, out var v) && test(v, p.Value));
    }
}
