using System.Diagnostics.CodeAnalysis;

namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>
/// A parsed CloudEvents SQL (CESQL v1.0.0) expression. Parse once (at trigger admission), then evaluate per event;
/// instances are immutable and safe to share between threads and grains.
/// <code>
/// var filter = CesqlExpression.Parse("type LIKE 'com.example.%' AND EXISTS subject");
/// bool deliver = filter.Matches(cloudEvent);
/// </code>
/// </summary>
public sealed class CesqlExpression
{
    private CesqlExpression(string text, CesqlNode root)
    {
        Text = text;
        Root = root;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>The immutable syntax tree.</summary>
    public CesqlNode Root { get; }

    /// <summary>Parses CESQL text.</summary>
    /// <exception cref="CesqlParseException">The text is not valid CESQL; the exception carries the position.</exception>
    public static CesqlExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new CesqlExpression(text, CesqlParser.Parse(text));
    }

    /// <summary>
    /// Parses CESQL text without throwing on bad input: the form admission validation uses, where a bad expression
    /// is an expected outcome. On failure <paramref name="error"/> is a <see cref="CesqlErrorKind.Parse"/> error whose
    /// message names the zero-based position.
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out CesqlExpression? expression, [NotNullWhen(false)] out CesqlError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            expression = new CesqlExpression(text, CesqlParser.Parse(text));
            error = null;
            return true;
        }
        catch (CesqlParseException e)
        {
            expression = null;
            error = e.Error;
            return false;
        }
    }

    /// <summary>Evaluates the expression against one event; never throws for any event content.</summary>
    public CesqlResult Evaluate(ICesqlEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        var evaluator = new CesqlEvaluator(cloudEvent);
        CesqlValue value = evaluator.Evaluate(Root);
        return new CesqlResult(value, evaluator.Errors);
    }

    /// <summary>The trigger filter: Boolean <c>true</c> with no error (see <see cref="CesqlResult.IsMatch"/>).</summary>
    public bool Matches(ICesqlEvent cloudEvent) => Evaluate(cloudEvent).IsMatch;

    public override string ToString() => Text;
}
