namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>
/// Evaluates an AST against one event in "complete evaluation" mode (spec 4.1): every operand is evaluated (except
/// the right side of a short-circuited AND/OR) and every error is collected in order. The rule that makes the TCK
/// pass: when an operand (or its implicit cast) raised an error, the operator or function does not compute and
/// returns the zero value of its own return type. So <c>missing / 0</c> is 0 with only MissingAttribute,
/// <c>NOT missing</c> is false, and <c>true AND (1 != 1 / 0)</c> is false with a Math error.
/// </summary>
internal sealed partial class CesqlEvaluator(ICesqlEvent cloudEvent)
{
    private List<CesqlError>? _errors;

    /// <summary>The errors raised so far, first one first.</summary>
    public IReadOnlyList<CesqlError> Errors => _errors ?? (IReadOnlyList<CesqlError>)[];

    private int ErrorCount => _errors?.Count ?? 0;

    public CesqlValue Evaluate(CesqlNode node) => node switch
    {
        CesqlLiteralNode n => n.Value,
        CesqlAttributeNode n => Attribute(n),
        CesqlExistsNode n => cloudEvent.TryGetAttribute(n.Name, out _),
        CesqlUnaryNode n => Unary(n),
        CesqlBinaryNode n => n.Operator switch
        {
            CesqlBinaryOperator.And or CesqlBinaryOperator.Or => ShortCircuit(n),
            CesqlBinaryOperator.Equal or CesqlBinaryOperator.NotEqual => Equality(n),
            _ => Binary(n),
        },
        CesqlLikeNode n => Like(n),
        CesqlInNode n => In(n),
        CesqlFunctionCallNode n => Call(n),
        _ => throw new InvalidOperationException($"Unknown CESQL node {node.GetType().Name}."),
    };

    private CesqlValue Attribute(CesqlAttributeNode node)
    {
        if (cloudEvent.TryGetAttribute(node.Name, out CesqlValue value))
        {
            return value;
        }

        // The enclosing operator sees the error and returns its own zero value; alone, the expression is false.
        return Raise(CesqlErrorKind.MissingAttribute, $"attribute '{node.Name}' is missing", node.Position, CesqlType.Boolean);
    }

    private CesqlValue Unary(CesqlUnaryNode node)
    {
        int before = ErrorCount;
        CesqlValue operand = Evaluate(node.Operand);
        if (node.Operator == CesqlUnaryOperator.Not)
        {
            return Failed(before) || !TryCast(operand, CesqlType.Boolean, node, out operand)
                ? CesqlValue.False
                : !operand.AsBoolean;
        }

        if (Failed(before) || !TryCast(operand, CesqlType.Integer, node, out operand))
        {
            return 0;
        }

        return Checked(-(long)operand.AsInteger, node);
    }

    private CesqlValue ShortCircuit(CesqlBinaryNode node)
    {
        int before = ErrorCount;
        CesqlValue left = Evaluate(node.Left);
        if (Failed(before) || !TryCast(left, CesqlType.Boolean, node, out left))
        {
            return CesqlValue.False;
        }

        bool isAnd = node.Operator == CesqlBinaryOperator.And;
        if (left.AsBoolean != isAnd)
        {
            return left; // false AND … / true OR …: the right side is not evaluated.
        }

        CesqlValue right = Evaluate(node.Right);
        if (Failed(before) || !TryCast(right, CesqlType.Boolean, node, out right))
        {
            return CesqlValue.False;
        }

        return right;
    }

    /// <summary><c>= != &lt;&gt;</c> are ambiguous, so the left operand is cast to the right operand's type.</summary>
    private CesqlValue Equality(CesqlBinaryNode node)
    {
        int before = ErrorCount;
        CesqlValue left = Evaluate(node.Left);
        CesqlValue right = Evaluate(node.Right);
        if (Failed(before) || !TryCast(left, right.Type, node, out left))
        {
            return CesqlValue.False;
        }

        return (left == right) == (node.Operator == CesqlBinaryOperator.Equal);
    }

    private bool Failed(int errorsBefore) => ErrorCount > errorsBefore;

    private bool TryCast(CesqlValue value, CesqlType target, CesqlNode node, out CesqlValue result)
    {
        if (CesqlCasts.TryCast(value, target, out result, out string failure))
        {
            return true;
        }

        Raise(CesqlErrorKind.Cast, failure, node.Position, target);
        return false;
    }

    private CesqlValue Raise(CesqlErrorKind kind, string message, int position, CesqlType zeroOf)
    {
        (_errors ??= []).Add(new CesqlError(kind, $"{message} (at position {position})", position));
        return CesqlValue.ZeroOf(zeroOf);
    }
}
