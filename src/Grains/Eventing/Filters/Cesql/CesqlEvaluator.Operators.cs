namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>XOR, comparisons, arithmetic, LIKE, IN and function calls.</summary>
internal sealed partial class CesqlEvaluator
{
    /// <summary>The non-ambiguous binary operators: both operands are cast to the parameter type.</summary>
    private CesqlValue Binary(CesqlBinaryNode node)
    {
        int before = ErrorCount;
        CesqlValue left = Evaluate(node.Left);
        CesqlValue right = Evaluate(node.Right);
        if (node.Operator == CesqlBinaryOperator.Xor)
        {
            return Failed(before)
                || !TryCast(left, CesqlType.Boolean, node, out left)
                || !TryCast(right, CesqlType.Boolean, node, out right)
                ? CesqlValue.False
                : left.AsBoolean ^ right.AsBoolean;
        }

        bool isComparison = node.Operator is CesqlBinaryOperator.Less or CesqlBinaryOperator.LessOrEqual
            or CesqlBinaryOperator.Greater or CesqlBinaryOperator.GreaterOrEqual;
        if (Failed(before)
            || !TryCast(left, CesqlType.Integer, node, out left)
            || !TryCast(right, CesqlType.Integer, node, out right))
        {
            return CesqlValue.ZeroOf(isComparison ? CesqlType.Boolean : CesqlType.Integer);
        }

        long x = left.AsInteger, y = right.AsInteger;
        return node.Operator switch
        {
            CesqlBinaryOperator.Less => x < y,
            CesqlBinaryOperator.LessOrEqual => x <= y,
            CesqlBinaryOperator.Greater => x > y,
            CesqlBinaryOperator.GreaterOrEqual => x >= y,
            CesqlBinaryOperator.Add => Checked(x + y, node),
            CesqlBinaryOperator.Subtract => Checked(x - y, node),
            CesqlBinaryOperator.Multiply => Checked(x * y, node),
            _ when y == 0 => Raise(CesqlErrorKind.Math, "division by zero", node.Position, CesqlType.Integer),
            // long arithmetic truncates toward zero and % takes the sign of x; -2147483648 / -1 saturates below.
            CesqlBinaryOperator.Divide => Checked(x / y, node),
            _ => Checked(x % y, node),
        };
    }

    /// <summary>
    /// Integer overflow (the spec only defines ABS) follows ABS's rule: saturate to the nearest int32 and raise a Math
    /// error, e.g. 2147483647 + 1 → 2147483647 and -(-2147483648) → 2147483647, each with a Math error.
    /// </summary>
    private CesqlValue Checked(long value, CesqlNode node)
    {
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            return (int)value;
        }

        int saturated = value > int.MaxValue ? int.MaxValue : int.MinValue;
        Raise(CesqlErrorKind.Math, $"integer overflow, the result is {saturated}", node.Position, CesqlType.Integer);
        return saturated;
    }

    /// <summary>LIKE casts its operand to String (Integer and Boolean casts to String cannot fail).</summary>
    private CesqlValue Like(CesqlLikeNode node)
    {
        int before = ErrorCount;
        CesqlValue operand = Evaluate(node.Operand);
        if (Failed(before) || !TryCast(operand, CesqlType.String, node, out operand))
        {
            return CesqlValue.False;
        }

        return node.Matcher.IsMatch(operand.AsString) != node.Negated;
    }

    /// <summary>IN casts every set element to the operand's type, then compares with <c>=</c> semantics.</summary>
    private CesqlValue In(CesqlInNode node)
    {
        int before = ErrorCount;
        CesqlValue operand = Evaluate(node.Operand);
        var elements = new CesqlValue[node.Set.Length];
        for (int i = 0; i < elements.Length; i++)
        {
            elements[i] = Evaluate(node.Set[i]);
        }

        if (Failed(before))
        {
            return CesqlValue.False;
        }

        bool found = false;
        for (int i = 0; i < elements.Length; i++)
        {
            found |= TryCast(elements[i], operand.Type, node.Set[i], out CesqlValue element) && element == operand;
        }

        return !Failed(before) && found != node.Negated;
    }

    private CesqlValue Call(CesqlFunctionCallNode node)
    {
        if (!CesqlFunctions.TryResolve(node.Name, node.Arguments.Length, out CesqlFunction function))
        {
            string message = $"no function {node.Name} taking {node.Arguments.Length} argument(s)";
            return Raise(CesqlErrorKind.MissingFunction, message, node.Position, CesqlType.Boolean);
        }

        int before = ErrorCount;
        var args = new CesqlValue[node.Arguments.Length];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = Evaluate(node.Arguments[i]);
        }

        if (Failed(before))
        {
            return CesqlValue.ZeroOf(function.ReturnType);
        }

        for (int i = 0; i < args.Length; i++)
        {
            if (function.ParameterType(i) is { } type)
            {
                TryCast(args[i], type, node.Arguments[i], out args[i]);
            }
        }

        if (Failed(before))
        {
            return CesqlValue.ZeroOf(function.ReturnType);
        }

        CesqlFunctionResult result = function.Body(args);
        if (result.ErrorKind is { } kind)
        {
            Raise(kind, result.Message, node.Position, function.ReturnType);
        }

        return result.Value;
    }
}
