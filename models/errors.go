package models

import (
	"context"
	"database/sql/driver"
	"errors"
	"net"
	"syscall"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"

	"qianfa/workflow"
)

// translate turns a driver or GORM error into a *workflow.Error; what names
// the object (in Chinese) for not-found messages. A *workflow.Error passes
// through unchanged.
func translate(err error, what string) error {
	if err == nil {
		return nil
	}
	var we *workflow.Error
	switch {
	case errors.As(err, &we):
		return err
	case errors.Is(err, gorm.ErrRecordNotFound):
		return workflow.ErrNotFound(what).WithCause(err)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return workflow.ErrDuplicate(what + "已存在").WithCause(err)
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return workflow.Errorf(workflow.KindNotFound, workflow.CodeNotFound,
			"%s引用的对象不存在", what).WithCause(err)
	case unreachable(err):
		return workflow.ErrUnavailable(err)
	}
	return workflow.ErrInternal(err)
}

// unreachable reports whether err means the database cannot be reached
// (or is too busy to answer in time), as opposed to a bad statement.
func unreachable(err error) bool {
	var opErr *net.OpError
	return errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, mysql.ErrInvalidConn) ||
		errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.As(err, &opErr)
}
